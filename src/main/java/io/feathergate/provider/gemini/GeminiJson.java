package io.feathergate.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;

/** The few JSON chores every Gemini translator shares, on the gateway's one mapper. */
final class GeminiJson {
  /** Text after the value means the whole is not JSON (a tool result "{...} and more"). */
  private static final ObjectReader STRICT =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private GeminiJson() {}

  static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return Json.MAPPER.createArrayNode();
  }

  /** Parses a string, or returns null when it is not exactly one JSON value. */
  static JsonNode readOrNull(String text) {
    try {
      return STRICT.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * A response's candidates, or none when the field is absent or not an array (found by fuzzing: a
   * mapping there made each candidate read as null).
   */
  static JsonNode candidates(JsonNode response) {
    JsonNode value = response.path("candidates");
    return value.isArray() ? value : MissingNode.getInstance();
  }

  /** A field's text, or null when the field is absent, null or not a string. */
  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
