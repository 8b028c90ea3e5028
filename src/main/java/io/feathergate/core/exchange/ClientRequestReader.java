package io.feathergate.core.exchange;

import io.feathergate.core.spi.ChatRequest;

/**
 * Reads a client's request body in the dialect of the route it called into the gateway's chat
 * request: {@link io.feathergate.core.spi.ChatRequests#parse} for OpenAI's chat completions, a
 * translation for other dialects. Throws {@link io.feathergate.core.errors.GatewayException} for a
 * body the client must fix.
 */
@FunctionalInterface
public interface ClientRequestReader {
  ChatRequest read(byte[] clientBody);
}
