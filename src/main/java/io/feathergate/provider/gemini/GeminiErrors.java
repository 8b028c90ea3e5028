package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Gemini's {@code {"error":{"code","message","status","details"}}} as the client's OpenAI error.
 * The HTTP status follows Gemini's canonical {@code status} name, so an SDK raises the exception it
 * would raise for OpenAI; the {@code code} keeps what Gemini said (the reason of a bad key, else
 * the status name).
 */
final class GeminiErrors {
  private static final int MAX_SNIPPET = 300;

  /** google.rpc canonical codes, as HTTP statuses. */
  private static final Map<String, Integer> STATUS_BY_NAME =
      Map.ofEntries(
          Map.entry("INVALID_ARGUMENT", 400),
          Map.entry("FAILED_PRECONDITION", 400),
          Map.entry("OUT_OF_RANGE", 400),
          Map.entry("UNAUTHENTICATED", 401),
          Map.entry("PERMISSION_DENIED", 403),
          Map.entry("NOT_FOUND", 404),
          Map.entry("ALREADY_EXISTS", 409),
          Map.entry("ABORTED", 409),
          Map.entry("RESOURCE_EXHAUSTED", 429),
          Map.entry("CANCELLED", 499),
          Map.entry("UNKNOWN", 500),
          Map.entry("INTERNAL", 500),
          Map.entry("DATA_LOSS", 500),
          Map.entry("UNIMPLEMENTED", 501),
          Map.entry("UNAVAILABLE", 503),
          Map.entry("DEADLINE_EXCEEDED", 504));

  private GeminiErrors() {}

  /** The error for a non-2xx response; the body may be JSON, a JSON array of one error, or not. */
  static GatewayException fromUpstream(int status, byte[] body) {
    JsonNode root = Json.readOrNull(body);
    if (root != null && root.isArray() && !root.isEmpty()) {
      // the stream URL without alt=sse wraps even its errors in an array
      root = root.get(0);
    }
    JsonNode error = root == null ? null : root.get("error");
    if (error != null && error.isObject()) {
      return fromErrorObject(status, error);
    }
    String snippet = new String(body, StandardCharsets.UTF_8).strip();
    if (snippet.length() > MAX_SNIPPET) {
      snippet = snippet.substring(0, MAX_SNIPPET) + "...";
    }
    return error(
        status,
        "Gemini returned HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet),
        Integer.toString(status));
  }

  /**
   * An error object, from an error response or from inside a stream.
   *
   * @param httpStatus the response's status (200 inside a stream), used when Gemini names no status
   *     this class knows
   */
  static GatewayException fromErrorObject(int httpStatus, JsonNode error) {
    String name = GeminiJson.text(error, "status");
    String message = GeminiJson.text(error, "message");
    int status = STATUS_BY_NAME.getOrDefault(name == null ? "" : name, 0);
    if (status == 0) {
      int code = error.path("code").asInt(0);
      status = code >= 400 ? code : httpStatus >= 400 ? httpStatus : 500;
    }
    String code = name == null ? Integer.toString(status) : name;
    if (isBadKey(error, message)) {
      // Gemini calls a wrong key an invalid argument; clients expect an authentication error
      status = 401;
      code = "API_KEY_INVALID";
    }
    String text = message == null ? "Gemini returned HTTP " + status : message;
    String retryDelay = retryDelay(error);
    if (retryDelay != null) {
      // the error body is the only place a client sees Gemini's RetryInfo
      text = text + " (Gemini asks to retry after " + retryDelay + ".)";
    }
    return error(status, text, code);
  }

  private static String retryDelay(JsonNode error) {
    for (JsonNode detail : error.path("details")) {
      String delay = GeminiJson.text(detail, "retryDelay");
      if (delay != null) {
        return delay;
      }
    }
    return null;
  }

  private static boolean isBadKey(JsonNode error, String message) {
    for (JsonNode detail : error.path("details")) {
      if ("API_KEY_INVALID".equals(GeminiJson.text(detail, "reason"))) {
        return true;
      }
    }
    return message != null && message.contains("API key not valid");
  }

  private static GatewayException error(int status, String message, String code) {
    return new GatewayException(
        status,
        GatewayException.typeForStatus(status),
        message,
        null,
        code,
        GatewayException.isRetryableStatus(status));
  }
}
