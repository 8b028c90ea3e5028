package io.feathergate.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A validated client chat-completion request. Its body is never changed once parsed: an attempt
 * that needs another body (a deployment's defaults) gets a copy, and adapters build the upstream
 * body from it without writing into it, so that every attempt of a request starts from what the
 * client sent.
 *
 * @param body the client's JSON, with every field it sent (unknown ones too); read-only
 * @param model the requested model name
 * @param stream whether the client asked for a stream
 * @param includeUsage whether the client asked for the usage chunk ({@code stream_options})
 * @param clientHeaders the client headers a provider may pass on ({@link #FORWARDABLE_HEADERS}), by
 *     lower-case name
 * @param nativeRequest the request as the client sent it when it spoke a provider's own API
 *     (Anthropic's Messages), for a deployment on that API to take untranslated; null for a chat
 *     completion
 */
public record ChatRequest(
    ObjectNode body,
    String model,
    boolean stream,
    boolean includeUsage,
    Map<String, String> clientHeaders,
    NativeRequest nativeRequest) {

  /** Headers the gateway lets through to upstreams; never credentials. */
  public static final java.util.List<String> FORWARDABLE_HEADERS =
      java.util.List.of("anthropic-beta");

  public ChatRequest {
    clientHeaders = Map.copyOf(clientHeaders);
  }

  /** The same request with another body (fields {@code model} and {@code stream} unchanged). */
  public ChatRequest withBody(ObjectNode otherBody) {
    return new ChatRequest(otherBody, model, stream, includeUsage, clientHeaders, nativeRequest);
  }

  /**
   * The same request for another model (a virtual key's alias): the body's {@code model} is
   * replaced in a copy, the client's own native body keeps its name (pass-through replaces it).
   */
  public ChatRequest withModel(String otherModel) {
    ObjectNode renamed = body.deepCopy();
    renamed.put("model", otherModel);
    return new ChatRequest(renamed, otherModel, stream, includeUsage, clientHeaders, nativeRequest);
  }

  /** The same request with the given client headers. */
  public ChatRequest withClientHeaders(Map<String, String> headers) {
    return new ChatRequest(body, model, stream, includeUsage, headers, nativeRequest);
  }

  /** The same request, carrying the client's own body in the API it spoke. */
  public ChatRequest withNativeRequest(NativeRequest clientNative) {
    return new ChatRequest(body, model, stream, includeUsage, clientHeaders, clientNative);
  }
}
