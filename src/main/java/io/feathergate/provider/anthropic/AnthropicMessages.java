package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI {@code messages} as Anthropic's {@code system} and {@code messages}. Anthropic wants the
 * system prompt apart and the turns strictly alternating user/assistant, so system messages (at any
 * position) are lifted out, tool results become blocks of a user turn, and consecutive turns of one
 * role are merged into one.
 */
final class AnthropicMessages {

  /**
   * @param system a string, an array of text blocks, or null when there is no system prompt
   * @param messages the alternating turns
   */
  record Conversation(JsonNode system, ArrayNode messages) {}

  private record Turn(String role, ArrayNode blocks) {}

  private AnthropicMessages() {}

  static Conversation map(JsonNode messages) {
    ArrayNode system = Json.MAPPER.createArrayNode();
    int systemMessages = 0;
    boolean plainSystem = true;
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String param = "messages[" + i + "]";
      String role = message.path("role").asText();
      ArrayNode blocks = Json.MAPPER.createArrayNode();
      switch (role) {
        case "system", "developer" -> {
          systemMessages++;
          plainSystem &= message.path("content").isTextual() && !message.has("cache_control");
          systemBlocks(message, param, blocks);
          system.addAll(blocks);
          continue;
        }
        case "user" ->
            AnthropicContent.addParts(message.get("content"), param + ".content", blocks);
        case "assistant" -> assistantBlocks(message, param, blocks);
        case "tool" -> blocks.add(toolResult(message, param));
        default ->
            throw GatewayException.badRequest(
                "Anthropic does not support messages with role '"
                    + role
                    + "' ("
                    + param
                    + "); use system, user, assistant or tool.",
                param + ".role");
      }
      applyMessageCacheControl(message, blocks);
      append(turns, role.equals("assistant") ? "assistant" : "user", blocks);
    }
    trimFinalAssistantTurn(turns);
    if (turns.isEmpty()) {
      throw GatewayException.badRequest(
          "Anthropic needs at least one user or assistant message with content besides the system"
              + " prompt.",
          "messages");
    }
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (Turn turn : turns) {
      ObjectNode message = out.addObject();
      message.put("role", turn.role());
      message.set("content", compact(turn.role().equals("user") ? toolResultsFirst(turn) : turn));
    }
    JsonNode systemValue = null;
    if (!system.isEmpty()) {
      systemValue =
          systemMessages == 1 && plainSystem && system.size() == 1
              ? system.get(0).get("text")
              : system;
    }
    return new Conversation(systemValue, out);
  }

  private static void systemBlocks(JsonNode message, String param, ArrayNode blocks) {
    JsonNode content = message.get("content");
    if (content != null && content.isArray()) {
      for (int j = 0; j < content.size(); j++) {
        JsonNode part = content.get(j);
        if (!"text".equals(part.path("type").asText())) {
          throw GatewayException.badRequest(
              "Anthropic system prompts take text only (" + param + ".content[" + j + "]).",
              param + ".content[" + j + "].type");
        }
      }
    }
    AnthropicContent.addParts(content, param + ".content", blocks);
    applyMessageCacheControl(message, blocks);
  }

  /** Thinking blocks first (Anthropic requires it), then text, then the tool calls. */
  private static void assistantBlocks(JsonNode message, String param, ArrayNode blocks) {
    JsonNode thinkingBlocks = message.get("thinking_blocks");
    if (thinkingBlocks != null && thinkingBlocks.isArray()) {
      for (JsonNode block : thinkingBlocks) {
        String type = block.path("type").asText();
        if (type.equals("thinking") || type.equals("redacted_thinking")) {
          blocks.add(block);
        }
      }
    }
    AnthropicContent.addParts(message.get("content"), param + ".content", blocks);
    JsonNode toolCalls = message.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      for (int j = 0; j < toolCalls.size(); j++) {
        blocks.add(toolUse(toolCalls.get(j), param + ".tool_calls[" + j + "]"));
      }
    }
  }

  private static ObjectNode toolUse(JsonNode call, String param) {
    JsonNode id = call.get("id");
    if (id == null || !id.isTextual()) {
      throw GatewayException.badRequest(
          "Missing required parameter: '" + param + ".id'.", param + ".id");
    }
    JsonNode function = call.path("function");
    JsonNode name = function.get("name");
    if (name == null || !name.isTextual()) {
      throw GatewayException.badRequest(
          "Missing required parameter: '" + param + ".function.name'.", param + ".function.name");
    }
    ObjectNode block = Json.MAPPER.createObjectNode();
    block.put("type", "tool_use");
    block.set("id", id);
    block.set("name", name);
    block.set("input", arguments(function.get("arguments"), param + ".function.arguments"));
    return block;
  }

  /**
   * OpenAI sends arguments as a JSON string, Anthropic wants the object. No arguments ({@code ""}
   * or absent) is the empty object; anything that is not a JSON object is the client's error,
   * reported here rather than as Anthropic's less specific one.
   */
  static JsonNode arguments(JsonNode arguments, String param) {
    if (arguments == null || arguments.isNull()) {
      return Json.MAPPER.createObjectNode();
    }
    if (arguments.isObject()) {
      return arguments;
    }
    String text = arguments.asText();
    if (text.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      parsed = null;
    }
    if (parsed == null || !parsed.isObject()) {
      throw GatewayException.badRequest(
          "Invalid '"
              + param
              + "': Anthropic needs tool-call arguments that are a JSON object, got "
              + abbreviate(text)
              + ".",
          param);
    }
    return parsed;
  }

  private static ObjectNode toolResult(JsonNode message, String param) {
    JsonNode id = message.get("tool_call_id");
    if (id == null || !id.isTextual()) {
      throw GatewayException.badRequest(
          "Missing required parameter: '" + param + ".tool_call_id'.", param + ".tool_call_id");
    }
    ObjectNode block = Json.MAPPER.createObjectNode();
    block.put("type", "tool_result");
    block.set("tool_use_id", id);
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      if (!content.asText().isEmpty()) {
        block.set("content", content);
      }
    } else {
      ArrayNode parts = Json.MAPPER.createArrayNode();
      AnthropicContent.addParts(content, param + ".content", parts);
      if (!parts.isEmpty()) {
        block.set("content", parts);
      }
    }
    return block;
  }

  /** LiteLLM's message-level {@code cache_control}: it marks the message's last block. */
  private static void applyMessageCacheControl(JsonNode message, ArrayNode blocks) {
    JsonNode cacheControl = message.get("cache_control");
    if (cacheControl != null && !cacheControl.isNull() && !blocks.isEmpty()) {
      ((ObjectNode) blocks.get(blocks.size() - 1)).set("cache_control", cacheControl);
    }
  }

  private static void append(List<Turn> turns, String role, ArrayNode blocks) {
    if (blocks.isEmpty()) {
      return; // nothing to say: leaving it out keeps the turns alternating
    }
    Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last != null && last.role().equals(role)) {
      last.blocks().addAll(blocks);
    } else {
      turns.add(new Turn(role, blocks));
    }
  }

  /** Anthropic rejects a final (prefilled) assistant turn that ends in whitespace. */
  private static void trimFinalAssistantTurn(List<Turn> turns) {
    if (turns.isEmpty() || !turns.get(turns.size() - 1).role().equals("assistant")) {
      return;
    }
    ArrayNode blocks = turns.get(turns.size() - 1).blocks();
    JsonNode last = blocks.get(blocks.size() - 1);
    if ("text".equals(last.path("type").asText())) {
      ((ObjectNode) last).put("text", last.get("text").asText().stripTrailing());
    }
  }

  /**
   * Anthropic wants a user turn's tool results before any other block; the order of the results
   * themselves is kept.
   */
  private static Turn toolResultsFirst(Turn turn) {
    ArrayNode ordered = Json.MAPPER.createArrayNode();
    for (JsonNode block : turn.blocks()) {
      if ("tool_result".equals(block.path("type").asText())) {
        ordered.add(block);
      }
    }
    for (JsonNode block : turn.blocks()) {
      if (!"tool_result".equals(block.path("type").asText())) {
        ordered.add(block);
      }
    }
    return new Turn(turn.role(), ordered);
  }

  /** A turn that is one plain text block is sent as a string, as people write it by hand. */
  private static JsonNode compact(Turn turn) {
    ArrayNode blocks = turn.blocks();
    if (blocks.size() == 1) {
      JsonNode only = blocks.get(0);
      if (only.size() == 2 && "text".equals(only.path("type").asText())) {
        return TextNode.valueOf(only.get("text").asText());
      }
    }
    return blocks;
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? "'" + text + "'" : "'" + text.substring(0, 60) + "...'";
  }
}
