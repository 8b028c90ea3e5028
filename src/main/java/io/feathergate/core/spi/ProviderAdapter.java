package io.feathergate.core.spi;

import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import java.util.Map;

/**
 * Translates between the gateway's chat schema (OpenAI's chat completions, whatever dialect the
 * client spoke at the edge) and one provider's API. Implementations are pure: no I/O, no clock, no
 * environment; what they need is passed in.
 */
public interface ProviderAdapter {

  /** The request to send upstream for this client request (defaults already applied). */
  UpstreamRequest toUpstream(ChatRequest clientRequest, Route route);

  /** The {@code chat.completion} for a successful non-streaming upstream response. */
  ChatCompletion fromUpstream(byte[] upstreamBody, StreamContext context);

  /** A decoder for one successful upstream event stream. */
  StreamDecoder newStreamDecoder(StreamContext context);

  /** The client-facing error for a non-2xx upstream response. */
  GatewayException toError(int status, Map<String, String> headers, byte[] body);

  /**
   * How this provider serves requests in {@code api} without the chat translation (usually by
   * passing them through), or null when it does not: they are then translated through the chat
   * schema, where the API allows it.
   */
  default NativeHandler nativeHandler(NativeApi api) {
    return null;
  }

  /**
   * {@link #nativeHandler(NativeApi)} for one deployment, which may ask for the chat translation
   * instead (LiteLLM's {@code use_chat_completions_api}).
   */
  default NativeHandler nativeHandler(NativeApi api, Deployment deployment) {
    return nativeHandler(api);
  }
}
