package io.feathergate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;

/** Maps OpenAI-shaped upstream errors to the client's error, keeping status, type and message. */
final class OpenAiErrors {
  private static final int MAX_SNIPPET = 300;

  private OpenAiErrors() {}

  static GatewayException fromUpstream(int status, byte[] body) {
    JsonNode root = Json.readOrNull(body);
    JsonNode error = root == null ? null : root.get("error");
    if (error != null && error.isObject()) {
      return fromErrorObject(status, error);
    }
    if (error != null && error.isTextual()) {
      return new GatewayException(
          status,
          GatewayException.typeForStatus(status),
          error.asText(),
          null,
          Integer.toString(status),
          retryable(status));
    }
    String snippet = new String(body, StandardCharsets.UTF_8).strip();
    if (snippet.length() > MAX_SNIPPET) {
      snippet = snippet.substring(0, MAX_SNIPPET) + "...";
    }
    String message = "Upstream returned HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet);
    return new GatewayException(
        status,
        GatewayException.typeForStatus(status),
        message,
        null,
        Integer.toString(status),
        retryable(status));
  }

  /** An {@code {"error":{...}}} object, from an error response or from inside a stream. */
  static GatewayException fromErrorObject(int status, JsonNode error) {
    String message = textOrNull(error.get("message"));
    String type = textOrNull(error.get("type"));
    String code = textOrNull(error.get("code"));
    return new GatewayException(
        status,
        type == null ? GatewayException.typeForStatus(status) : type,
        message == null ? "Upstream returned HTTP " + status : message,
        textOrNull(error.get("param")),
        code == null ? Integer.toString(status) : code,
        retryable(status));
  }

  private static boolean retryable(int status) {
    return GatewayException.isRetryableStatus(status);
  }

  private static String textOrNull(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isValueNode() ? node.asText() : Json.text(node);
  }
}
