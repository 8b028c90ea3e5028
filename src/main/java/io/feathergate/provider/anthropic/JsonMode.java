package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;

/**
 * {@code response_format} the way LiteLLM does it for Anthropic: an extra tool whose input schema
 * is the wanted JSON, forced through {@code tool_choice}; on the way back the tool's input becomes
 * {@code message.content} (streams too) and the call itself is not reported as a tool call. Works
 * on every Claude model, unlike the native structured outputs (beta, newer models only).
 */
final class JsonMode {
  /** LiteLLM's name for the tool ({@code RESPONSE_FORMAT_TOOL_NAME}). */
  static final String TOOL_NAME = "json_tool_call";

  private JsonMode() {}

  /** Whether the client asked for a JSON answer ({@code json_object} or {@code json_schema}). */
  static boolean requested(JsonNode clientBody) {
    String type = clientBody.path("response_format").path("type").asText("");
    return type.equals("json_object") || type.equals("json_schema");
  }

  /** The tool that carries the answer, or null when the format is plain text. */
  static ObjectNode tool(JsonNode responseFormat) {
    if (responseFormat == null || responseFormat.isNull()) {
      return null;
    }
    String type = responseFormat.path("type").asText("");
    ObjectNode tool = Json.MAPPER.createObjectNode();
    tool.put("name", TOOL_NAME);
    switch (type) {
      case "text" -> {
        return null;
      }
      case "json_object" -> tool.set("input_schema", anyObject());
      case "json_schema" -> {
        JsonNode schema = responseFormat.path("json_schema").get("schema");
        tool.set(
            "input_schema",
            schema != null && schema.isObject() && !schema.isEmpty()
                ? AnthropicTools.inputSchema(schema)
                : anyObject());
      }
      default ->
          throw GatewayException.badRequest(
              "Invalid 'response_format.type': expected text, json_object or json_schema, got '"
                  + type
                  + "'.",
              "response_format.type");
    }
    return tool;
  }

  /** Anthropic rejects {@code properties: null}; an open object schema is its JSON-mode idiom. */
  private static ObjectNode anyObject() {
    ObjectNode schema = Json.MAPPER.createObjectNode();
    schema.put("type", "object");
    schema.put("additionalProperties", true);
    schema.putObject("properties");
    return schema;
  }

  static ObjectNode forcedChoice() {
    ObjectNode choice = Json.MAPPER.createObjectNode();
    choice.put("type", "tool");
    choice.put("name", TOOL_NAME);
    return choice;
  }
}
