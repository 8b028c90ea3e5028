package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;

/** OpenAI {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} for Anthropic. */
final class AnthropicTools {
  private AnthropicTools() {}

  /**
   * Function tools become {@code {name, description, input_schema}}. A tool of another type that is
   * not OpenAI's own ({@code web_search_20250305}, {@code text_editor_...}) is an Anthropic server
   * tool the client wrote for Anthropic: it passes unchanged.
   */
  static ArrayNode tools(JsonNode tools) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    if (tools == null || !tools.isArray()) {
      return out;
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String param = "tools[" + i + "]";
      String type = tool.path("type").asText("function");
      if (type.equals("function")) {
        out.add(function(tool, param));
      } else if (type.equals("custom")) {
        throw GatewayException.badRequest(
            "Anthropic does not support custom (grammar) tools (" + param + ").", param + ".type");
      } else {
        out.add(tool);
      }
    }
    return out;
  }

  private static ObjectNode function(JsonNode tool, String param) {
    JsonNode function = tool.path("function");
    JsonNode name = function.get("name");
    if (name == null || !name.isTextual()) {
      throw GatewayException.badRequest(
          "Missing required parameter: '" + param + ".function.name'.", param + ".function.name");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.set("name", name);
    JsonNode description = function.get("description");
    if (description != null && description.isTextual()) {
      out.set("description", description);
    }
    out.set("input_schema", inputSchema(function.get("parameters")));
    JsonNode cacheControl = tool.get("cache_control");
    if (cacheControl != null && !cacheControl.isNull()) {
      out.set("cache_control", cacheControl);
    }
    return out;
  }

  /** Anthropic requires an object schema: none at all means a tool without arguments. */
  static ObjectNode inputSchema(JsonNode parameters) {
    ObjectNode schema = Json.MAPPER.createObjectNode();
    if (parameters == null || !parameters.isObject() || parameters.isEmpty()) {
      schema.put("type", "object");
      schema.putObject("properties");
      return schema;
    }
    if (!parameters.has("type")) {
      schema.put("type", "object");
    }
    schema.setAll((ObjectNode) parameters);
    return schema;
  }

  /**
   * The Anthropic {@code tool_choice}, or null to send none. {@code parallel_tool_calls: false} is
   * Anthropic's {@code disable_parallel_tool_use}, which lives inside {@code tool_choice}.
   */
  static ObjectNode toolChoice(JsonNode toolChoice, JsonNode parallelToolCalls) {
    boolean serial =
        parallelToolCalls != null
            && parallelToolCalls.isBoolean()
            && !parallelToolCalls.asBoolean();
    ObjectNode out = Json.MAPPER.createObjectNode();
    if (toolChoice == null || toolChoice.isNull()) {
      if (!serial) {
        return null;
      }
      out.put("type", "auto");
    } else if (toolChoice.isTextual()) {
      switch (toolChoice.asText()) {
        case "auto" -> out.put("type", "auto");
        case "required" -> out.put("type", "any");
        case "none" -> {
          out.put("type", "none");
          return out; // takes no disable_parallel_tool_use
        }
        default ->
            throw GatewayException.badRequest(
                "Invalid 'tool_choice': expected none, auto, required or a function, got '"
                    + toolChoice.asText()
                    + "'.",
                "tool_choice");
      }
    } else {
      JsonNode name = toolChoice.path("function").get("name");
      if (!"function".equals(toolChoice.path("type").asText("function"))
          || name == null
          || !name.isTextual()) {
        throw GatewayException.badRequest(
            "Anthropic supports tool_choice none, auto, required or"
                + " {\"type\":\"function\",\"function\":{\"name\":...}}.",
            "tool_choice");
      }
      out.put("type", "tool");
      out.set("name", name);
    }
    if (serial) {
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }
}
