package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI {@code messages} as Gemini {@code contents} and {@code systemInstruction}.
 *
 * <p>Gemini knows two roles, {@code user} and {@code model}: system and developer messages,
 * wherever they stand, go to {@code systemInstruction}; assistant turns become {@code model} turns
 * with their tool calls as {@code functionCall} parts (thought signature restored); tool results
 * become {@code functionResponse} parts of a {@code user} turn. Consecutive turns of one role are
 * merged, so parallel tool results travel together as Gemini expects.
 */
final class GeminiContents {

  /**
   * The conversation for Gemini.
   *
   * @param contents the turns
   * @param systemInstruction the system text, or null when there is none
   */
  record Conversation(ArrayNode contents, ObjectNode systemInstruction) {}

  private final String model;
  private final Map<String, String> toolNamesById = new HashMap<>();
  private final ArrayNode contents = GeminiJson.array();
  private final ArrayNode systemParts = GeminiJson.array();

  private GeminiContents(String model) {
    this.model = model;
  }

  /**
   * Maps the client's messages.
   *
   * @param model the upstream model, whose generation decides whether signatures are mandatory
   * @throws GatewayException 400 for a message Gemini cannot take
   */
  static Conversation map(JsonNode messages, String model) {
    GeminiContents mapper = new GeminiContents(model);
    mapper.collectToolNames(messages);
    for (int i = 0; i < messages.size(); i++) {
      mapper.add(messages.get(i), "messages[" + i + "]");
    }
    if (mapper.contents.isEmpty()) {
      throw GatewayException.badRequest(
          "Gemini needs at least one user or assistant message with content.", "messages");
    }
    ObjectNode system = null;
    if (!mapper.systemParts.isEmpty()) {
      system = GeminiJson.object();
      system.set("parts", mapper.systemParts);
    }
    return new Conversation(mapper.contents, system);
  }

  /** Tool results name their call by id; Gemini wants the function's name instead. */
  private void collectToolNames(JsonNode messages) {
    for (JsonNode message : messages) {
      if ("assistant".equals(GeminiJson.text(message, "role"))) {
        for (JsonNode call : message.path("tool_calls")) {
          String id = GeminiJson.text(call, "id");
          String name = GeminiJson.text(call.path("function"), "name");
          if (id != null && name != null) {
            toolNamesById.put(id, name);
          }
        }
      }
    }
  }

  private void add(JsonNode message, String param) {
    String role = GeminiJson.text(message, "role");
    JsonNode content = message.get("content");
    switch (role == null ? "" : role) {
      case "system", "developer" ->
          GeminiParts.addText(GeminiParts.textOf(content, param + ".content"), systemParts);
      case "user" -> {
        ArrayNode parts = GeminiJson.array();
        GeminiParts.addContent(content, parts, param + ".content");
        append("user", parts);
      }
      case "assistant" -> append("model", assistantParts(message, param));
      case "tool" -> append("user", toolResult(message, param));
      case "function" ->
          throw GatewayException.badRequest(
              param
                  + " has the legacy role 'function', which the Gemini route does not take; send"
                  + " tools and tool messages instead.",
              param);
      default ->
          throw GatewayException.badRequest(
              param + " has role '" + role + "'; expected system, user, assistant or tool.",
              param + ".role");
    }
  }

  private ArrayNode assistantParts(JsonNode message, String param) {
    ArrayNode parts = GeminiJson.array();
    GeminiParts.addText(GeminiParts.textOf(message.get("content"), param + ".content"), parts);
    JsonNode toolCalls = message.path("tool_calls");
    for (int i = 0; i < toolCalls.size(); i++) {
      parts.add(functionCall(toolCalls.get(i), param + ".tool_calls[" + i + "]", i == 0));
    }
    return parts;
  }

  private ObjectNode functionCall(JsonNode toolCall, String param, boolean firstOfTurn) {
    JsonNode function = toolCall.path("function");
    String name = GeminiJson.text(function, "name");
    if (name == null) {
      throw GatewayException.badRequest(param + ".function.name must be a string.", param);
    }
    ObjectNode part = GeminiJson.object();
    ObjectNode call = part.putObject("functionCall");
    call.put("name", name);
    call.set("args", arguments(GeminiJson.text(function, "arguments"), param));
    String signature = ThoughtSignatures.signatureOf(GeminiJson.text(toolCall, "id"));
    // Gemini 3 checks the first call of a step only: the parallel calls after it carry none
    if (signature == null && firstOfTurn && GeminiModels.requiresThoughtSignatures(model)) {
      signature = ThoughtSignatures.SKIP_VALIDATOR;
    }
    if (signature != null) {
      part.put("thoughtSignature", signature);
    }
    return part;
  }

  /** {@code args} is a JSON object on Gemini's side; OpenAI sends it as a JSON string. */
  private static JsonNode arguments(String arguments, String param) {
    if (arguments == null || arguments.isBlank()) {
      return GeminiJson.object();
    }
    JsonNode parsed = GeminiJson.readOrNull(arguments);
    if (parsed == null || !parsed.isObject()) {
      throw GatewayException.badRequest(
          param + ".function.arguments must be a JSON object encoded as a string.",
          param + ".function.arguments");
    }
    return parsed;
  }

  private ArrayNode toolResult(JsonNode message, String param) {
    String id = GeminiJson.text(message, "tool_call_id");
    String name = id == null ? null : toolNamesById.get(id);
    if (name == null) {
      throw GatewayException.badRequest(
          param
              + ".tool_call_id '"
              + id
              + "' matches no tool call of an earlier assistant message; Gemini needs the"
              + " function's name for each tool result.",
          param + ".tool_call_id");
    }
    String text = GeminiParts.textOf(message.get("content"), param + ".content");
    ArrayNode parts = GeminiJson.array();
    ObjectNode functionResponse = parts.addObject().putObject("functionResponse");
    functionResponse.put("name", name);
    functionResponse.set("response", response(text));
    return parts;
  }

  /** Gemini's {@code response} must be an object: other results are wrapped as {"content": ...}. */
  private static ObjectNode response(String text) {
    JsonNode parsed = GeminiJson.readOrNull(text);
    if (parsed instanceof ObjectNode object) {
      return object;
    }
    ObjectNode wrapped = GeminiJson.object();
    wrapped.put("content", text);
    return wrapped;
  }

  /** Adds a turn, merged into the previous one when the role repeats; empty turns are left out. */
  private void append(String role, ArrayNode parts) {
    if (parts.isEmpty()) {
      return;
    }
    JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
    if (last != null && role.equals(GeminiJson.text(last, "role"))) {
      ((ArrayNode) last.get("parts")).addAll(parts);
      return;
    }
    ObjectNode turn = contents.addObject();
    turn.put("role", role);
    turn.set("parts", parts);
  }
}
