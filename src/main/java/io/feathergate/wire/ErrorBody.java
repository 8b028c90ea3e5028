package io.feathergate.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
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
    try {
      return Json.MAPPER.writeValueAsBytes(toNode(message, type, param, code));
    } catch (JsonProcessingException e) {
      // an ObjectNode of strings always serialises
      throw new IllegalStateException(e);
    }
  }

  public static String toJsonString(String message, String type, String param, String code) {
    return new String(toJson(message, type, param, code), StandardCharsets.UTF_8);
  }
}
