package io.feathergate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.AnthropicErrorTypes;
import io.feathergate.wire.Json;

/**
 * Errors in Anthropic's shape, {@code {"type":"error","error":{"type","message"},"request_id"}},
 * with Anthropic's statuses: an Anthropic upstream's 529 {@code overloaded_error} (503 for OpenAI
 * clients) is 529 again, which Anthropic's SDKs retry.
 */
final class MessagesErrors {

  private MessagesErrors() {}

  /** The status an Anthropic client gets for this failure. */
  static int status(GatewayException failure) {
    return "overloaded_error".equals(type(failure))
        ? AnthropicErrorTypes.OVERLOADED
        : failure.status();
  }

  /** The error body. */
  static byte[] body(GatewayException failure, String requestId) {
    return Json.bytes(node(failure, requestId));
  }

  static ObjectNode node(GatewayException failure, String requestId) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "error");
    ObjectNode error = root.putObject("error");
    error.put("type", type(failure));
    error.put("message", failure.getMessage());
    if (requestId != null) {
      root.put("request_id", requestId);
    }
    return root;
  }

  /**
   * Anthropic's error type, which its API derives from the status; an overload is recognised by
   * Anthropic's own type or its 529 (which OpenAI clients were told as 503).
   */
  static String type(GatewayException failure) {
    if ("529".equals(failure.code()) || "overloaded_error".equals(failure.type())) {
      return "overloaded_error";
    }
    return AnthropicErrorTypes.forStatus(failure.status());
  }
}
