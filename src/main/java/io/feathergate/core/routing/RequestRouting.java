package io.feathergate.core.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client may ask of the router in its request body, as LiteLLM's clients do: {@code
 * fallbacks}, {@code context_window_fallbacks} and {@code num_retries}. These are for the gateway,
 * so they never reach an upstream.
 *
 * @param fallbacks the groups to fall back to, or null to follow the config
 * @param contextWindowFallbacks the same for prompts too long, or null
 * @param numRetries retries for this request, or null to follow the config
 */
record RequestRouting(
    List<String> fallbacks, List<String> contextWindowFallbacks, Integer numRetries) {

  static final RequestRouting NONE = new RequestRouting(null, null, null);

  /**
   * The most retries a request may ask for itself: one request must not keep an upstream busy for
   * minutes of backoff because its client said so.
   */
  static final int MAX_REQUESTED_RETRIES = 10;

  /**
   * The fields, in a client's body of any API, with the response cache's {@code cache}: all are for
   * the gateway, none goes upstream.
   */
  static final List<String> FIELDS =
      List.of("fallbacks", "context_window_fallbacks", "num_retries", "cache");

  /** Reads the fields; nearly every request has none, and costs three lookups. */
  static RequestRouting of(ChatRequest request) {
    ObjectNode body = request.body();
    JsonNode fallbacks = body.get("fallbacks");
    JsonNode contextFallbacks = body.get("context_window_fallbacks");
    JsonNode numRetries = body.get("num_retries");
    if (fallbacks == null && contextFallbacks == null && numRetries == null) {
      return NONE;
    }
    return new RequestRouting(
        groups(fallbacks, "fallbacks"),
        groups(contextFallbacks, "context_window_fallbacks"),
        retries(numRetries));
  }

  /** The request without these fields, for the upstream; the request itself when it has none. */
  static ChatRequest withoutRoutingFields(ChatRequest request) {
    NativeRequest clientNative = request.nativeRequest();
    boolean inNative = clientNative != null && hasAny(clientNative.body());
    if (!hasAny(request.body()) && !inNative) {
      return request;
    }
    ChatRequest stripped = request.withBody(without(request.body()));
    if (inNative) {
      // a body that goes upstream untranslated loses them too
      stripped = stripped.withNativeRequest(clientNative.withBody(without(clientNative.body())));
    }
    return stripped;
  }

  private static boolean hasAny(ObjectNode body) {
    for (String field : FIELDS) {
      if (body.has(field)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode without(ObjectNode body) {
    if (!hasAny(body)) {
      return body;
    }
    ObjectNode copy = body.deepCopy();
    copy.remove(FIELDS);
    return copy;
  }

  /** A list of group names, or of {@code {"model": name, ...}} objects; a lone string too. */
  private static List<String> groups(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return List.of(value.asText());
    }
    if (!value.isArray()) {
      throw GatewayException.badRequest(
          "Invalid type for '" + field + "': expected a list of model names.", field);
    }
    List<String> names = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      JsonNode name = item.isObject() ? item.get("model") : item;
      if (name == null || !name.isTextual() || name.asText().isBlank()) {
        throw GatewayException.badRequest(
            "Invalid item in '" + field + "': expected a model name or {\"model\": name}.", field);
      }
      names.add(name.asText());
    }
    return List.copyOf(names);
  }

  private static Integer retries(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToInt()
        || !value.isIntegralNumber()
        || value.asInt() < 0
        || value.asInt() > MAX_REQUESTED_RETRIES) {
      throw GatewayException.badRequest(
          "Invalid value for 'num_retries': expected an integer from 0 to "
              + MAX_REQUESTED_RETRIES
              + ".",
          "num_retries");
    }
    return value.asInt();
  }
}
