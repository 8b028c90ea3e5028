package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;

/** The few JSON helpers the Anthropic mappers share. */
final class AnthropicJson {
  private AnthropicJson() {}

  /** A textual value, a non-textual value as JSON text, or null for absent and null. */
  static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return node.isValueNode() ? node.asText() : Json.text(node);
  }

  /** {@link #text} of a node, or the fallback when that is null or empty. */
  static String textOr(JsonNode node, String fallback) {
    String text = text(node);
    return text == null || text.isEmpty() ? fallback : text;
  }

  static String writeString(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not serialise JSON: " + e.getOriginalMessage());
    }
  }
}
