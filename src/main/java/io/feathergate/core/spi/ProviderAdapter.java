package io.feathergate.core.spi;

import io.feathergate.core.errors.GatewayException;
import java.util.Map;

/**
 * Translates between the OpenAI dialect clients speak and one provider's API. Implementations are
 * pure: no I/O, no clock, no environment; what they need is passed in.
 */
public interface ProviderAdapter {

  /** The request to send upstream for this client request (defaults already applied). */
  UpstreamRequest toUpstream(ChatRequest clientRequest, Route route);

  /** The OpenAI {@code chat.completion} JSON for a successful non-streaming upstream response. */
  byte[] fromUpstream(byte[] upstreamBody, StreamContext context);

  /** A decoder for one successful upstream event stream. */
  StreamDecoder newStreamDecoder(StreamContext context);

  /** The client-facing error for a non-2xx upstream response. */
  GatewayException toError(int status, Map<String, String> headers, byte[] body);
}
