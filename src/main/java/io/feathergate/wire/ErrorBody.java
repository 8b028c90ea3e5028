package io.feathergate.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** The OpenAI error body: {@code {"error":{"message","type","param","code"}}}, all four keys. */
public final class ErrorBody {
  private ErrorBody() {}

  public static ObjectNode toNode(String message, String type, String param, String code) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return root;
  }

  public static byte[] toJson(String message, String type, String param, String code) {
    return toJson(message, type, param, code, null);
  }

  /**
   * The error body with the request's id as one more key of the error object, so that a user
   * reporting an error can quote it; omitted when null.
   */
  public static byte[] toJson(
      String message, String type, String param, String code, String requestId) {
    ObjectNode root = toNode(message, type, param, code);
    if (requestId != null) {
      ((ObjectNode) root.get("error")).put("request_id", requestId);
    }
    return Json.bytes(root);
  }

  public static String toJsonString(String message, String type, String param, String code) {
    return new String(toJson(message, type, param, code), StandardCharsets.UTF_8);
  }
}
