package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.AnthropicErrorTypes;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Anthropic errors ({@code {"type":"error","error":{"type","message"}}}) as OpenAI errors. The
 * status and Anthropic's error type are kept, with one exception: 529 {@code overloaded_error}
 * becomes 503, the standard status for "try again later", since 529 is no HTTP status and OpenAI
 * clients, proxies and dashboards do not know it. The code carries the upstream status ({@code
 * "529"}) so the origin stays visible; it stays retryable.
 */
final class AnthropicErrors {
  static final int OVERLOADED = AnthropicErrorTypes.OVERLOADED;
  static final int OVERLOADED_FOR_CLIENTS = 503;
  private static final int MAX_SNIPPET = 300;

  private AnthropicErrors() {}

  /** The error for a non-2xx response. */
  static GatewayException fromResponse(int status, Map<String, String> headers, byte[] body) {
    JsonNode root = Json.readOrNull(body);
    JsonNode error = root == null ? null : root.get("error");
    Boolean shouldRetry = shouldRetry(headers);
    if (error != null && error.isObject()) {
      return build(status, error, shouldRetry);
    }
    String snippet = new String(body, StandardCharsets.UTF_8).strip();
    if (snippet.length() > MAX_SNIPPET) {
      snippet = snippet.substring(0, MAX_SNIPPET) + "...";
    }
    String message =
        "Anthropic returned HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet);
    return new GatewayException(
        clientStatus(status),
        defaultType(status),
        message,
        null,
        Integer.toString(status),
        shouldRetry != null ? shouldRetry : GatewayException.isRetryableStatus(status));
  }

  /**
   * The error an {@code event: error} reports inside a stream that began with 200: the status is
   * the one Anthropic gives that error type in a response.
   */
  static GatewayException fromStreamError(JsonNode event) {
    JsonNode error = event.get("error");
    if (error == null || !error.isObject()) {
      return GatewayException.upstreamProtocol("the stream reported an error: " + event);
    }
    return build(statusOf(AnthropicJson.text(error.get("type"))), error, null);
  }

  /** The error of a body that has {@code "type":"error"} (a 2xx answer that is an error). */
  static GatewayException fromErrorBody(JsonNode root) {
    return fromStreamError(root);
  }

  private static GatewayException build(int status, JsonNode error, Boolean shouldRetry) {
    String type = AnthropicJson.text(error.get("type"));
    String message = AnthropicJson.text(error.get("message"));
    return new GatewayException(
        clientStatus(status),
        type == null ? defaultType(status) : type,
        message == null ? "Anthropic returned HTTP " + status : message,
        null,
        Integer.toString(status),
        shouldRetry != null ? shouldRetry : GatewayException.isRetryableStatus(status));
  }

  static int clientStatus(int upstreamStatus) {
    return upstreamStatus == OVERLOADED ? OVERLOADED_FOR_CLIENTS : upstreamStatus;
  }

  /** The status Anthropic answers with for an error type (its errors page). */
  static int statusOf(String type) {
    if (type == null) {
      return 500;
    }
    return switch (type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "timeout_error" -> 504;
      case "overloaded_error" -> OVERLOADED;
      default -> 500; // api_error and types not known yet
    };
  }

  static String defaultType(int status) {
    return AnthropicErrorTypes.forStatus(status);
  }

  /**
   * Anthropic's {@code x-should-retry} header, which its own SDKs obey over the status: null when
   * absent.
   */
  private static Boolean shouldRetry(Map<String, String> headers) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase("x-should-retry")) {
        String value = header.getValue().strip().toLowerCase(Locale.ROOT);
        if (value.equals("true")) {
          return Boolean.TRUE;
        }
        if (value.equals("false")) {
          return Boolean.FALSE;
        }
      }
    }
    return null;
  }
}
