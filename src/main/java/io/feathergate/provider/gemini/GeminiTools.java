package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;

/** OpenAI {@code tools} and {@code tool_choice} as Gemini {@code tools} and {@code toolConfig}. */
final class GeminiTools {
  private GeminiTools() {}

  /** Sets {@code tools} and {@code toolConfig} on the upstream body when the client sent tools. */
  static void apply(ObjectNode clientBody, ObjectNode upstreamBody, String model) {
    JsonNode tools = clientBody.get("tools");
    // ChatRequests has checked that tools, when present, is an array
    if (tools == null || tools.isNull() || tools.isEmpty()) {
      return;
    }
    ArrayNode declarations = GeminiJson.array();
    for (int i = 0; i < tools.size(); i++) {
      declarations.add(declaration(tools.get(i), "tools[" + i + "]", model));
    }
    upstreamBody.putArray("tools").addObject().set("functionDeclarations", declarations);
    JsonNode choice = clientBody.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      upstreamBody.putObject("toolConfig").set("functionCallingConfig", callingConfig(choice));
    }
  }

  private static ObjectNode declaration(JsonNode tool, String param, String model) {
    String type = GeminiJson.text(tool, "type");
    if (!"function".equals(type)) {
      throw GatewayException.badRequest(
          param + " has type '" + type + "'; Gemini takes function tools only.", param);
    }
    JsonNode function = tool.path("function");
    String name = GeminiJson.text(function, "name");
    if (name == null) {
      throw GatewayException.badRequest(param + ".function.name must be a string.", param);
    }
    ObjectNode declaration = GeminiJson.object();
    declaration.put("name", name);
    String description = GeminiJson.text(function, "description");
    if (description != null) {
      declaration.put("description", description);
    }
    JsonNode parameters = function.get("parameters");
    if (parameters == null || !parameters.isObject() || parameters.isEmpty()) {
      return declaration;
    }
    if (GeminiModels.takesJsonSchema(model)) {
      declaration.set("parametersJsonSchema", JsonSchemaToGemini.forJsonSchemaField(parameters));
    } else if (!hasNoProperties(parameters)) {
      declaration.set("parameters", JsonSchemaToGemini.toOpenApi(parameters));
    }
    return declaration;
  }

  /**
   * A function without arguments is declared without parameters: the OpenAPI form rejects an object
   * schema with no properties.
   */
  private static boolean hasNoProperties(JsonNode parameters) {
    return "object".equals(GeminiJson.text(parameters, "type"))
        && parameters.path("properties").isEmpty()
        && !parameters.has("$ref")
        && !parameters.has("anyOf")
        && !parameters.has("oneOf")
        && !parameters.has("allOf");
  }

  /** none / auto / required / a named function: NONE / AUTO / ANY / ANY limited to that name. */
  private static ObjectNode callingConfig(JsonNode choice) {
    ObjectNode config = GeminiJson.object();
    if (choice.isTextual()) {
      switch (choice.asText()) {
        case "none" -> config.put("mode", "NONE");
        case "auto" -> config.put("mode", "AUTO");
        case "required" -> config.put("mode", "ANY");
        default ->
            throw GatewayException.badRequest(
                "tool_choice '" + choice.asText() + "' is not one of none, auto, required.",
                "tool_choice");
      }
      return config;
    }
    String name = GeminiJson.text(choice.path("function"), "name");
    if (!"function".equals(GeminiJson.text(choice, "type")) || name == null) {
      throw GatewayException.badRequest(
          "tool_choice must be none, auto, required or {\"type\":\"function\",\"function\":"
              + "{\"name\":...}} for Gemini.",
          "tool_choice");
    }
    config.put("mode", "ANY");
    config.putArray("allowedFunctionNames").add(name);
    return config;
  }
}
