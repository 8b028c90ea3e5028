package io.feathergate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;

/** Reading a client's JSON body, and copying its fields into the body a translation builds. */
final class JsonFields {
  private JsonFields() {}

  /**
   * A body that must be a JSON object (the management and cache routes, read as text).
   *
   * @throws GatewayException 400 otherwise, without the parser's message (it quotes the body)
   */
  static ObjectNode objectBody(String body) {
    if (body != null && !body.isBlank()) {
      try {
        if (Json.MAPPER.readTree(body) instanceof ObjectNode object) {
          return object;
        }
      } catch (JsonProcessingException e) {
        // answered below
      }
    }
    throw GatewayException.badRequest("The request body must be a JSON object.", null);
  }

  /** {@code from.field} as {@code to.as}, unless absent or null. */
  static void copy(ObjectNode from, String field, ObjectNode to, String as) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull()) {
      to.set(as, value);
    }
  }
}
