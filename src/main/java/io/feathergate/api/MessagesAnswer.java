package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;

/** A {@code chat.completion} as Anthropic's {@code message}. */
final class MessagesAnswer {
  private MessagesAnswer() {}

  static ObjectNode of(JsonNode completion, ToolNames toolNames) {
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("id", messageId(completion.path("id").asText("")));
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", completion.path("model").asText(""));
    ArrayNode content = message.putArray("content");
    JsonNode choice = completion.path("choices").path(0);
    JsonNode answer = choice.path("message");
    JsonNode thinkingBlocks = answer.get("thinking_blocks");
    if (thinkingBlocks != null && thinkingBlocks.isArray() && !thinkingBlocks.isEmpty()) {
      thinkingBlocks.forEach(content::add);
    } else if (answer.path("reasoning_content").isTextual()
        && !answer.path("reasoning_content").asText().isEmpty()) {
      content
          .addObject()
          .put("type", "thinking")
          .put("thinking", answer.path("reasoning_content").asText())
          .put("signature", "");
    }
    JsonNode text = answer.get("content");
    if (text != null && text.isTextual() && !text.asText().isEmpty()) {
      content.addObject().put("type", "text").put("text", text.asText());
    }
    for (JsonNode call : answer.path("tool_calls")) {
      ObjectNode toolUse = content.addObject();
      toolUse.put("type", "tool_use");
      toolUse.put("id", call.path("id").asText());
      toolUse.put("name", toolNames.original(call.path("function").path("name").asText()));
      toolUse.set("input", input(call.path("function").path("arguments").asText("")));
    }
    message.put("stop_reason", stopReason(choice.path("finish_reason").asText(null)));
    message.putNull("stop_sequence");
    message.set("usage", usage(completion.get("usage")));
    return message;
  }

  /** Anthropic's ids start with {@code msg_}; an upstream's own id is kept after it. */
  static String messageId(String id) {
    if (id.startsWith("msg_")) {
      return id;
    }
    return "msg_" + (id.startsWith("chatcmpl-") ? id.substring("chatcmpl-".length()) : id);
  }

  /** A tool call's arguments as the object Anthropic's {@code input} is; {} when not one. */
  static JsonNode input(String arguments) {
    JsonNode parsed =
        arguments.isBlank() ? null : Json.readOrNull(arguments.getBytes(StandardCharsets.UTF_8));
    return parsed != null && parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
  }

  static String stopReason(String finishReason) {
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /**
   * Anthropic's usage from the chat schema's: {@code input_tokens} excludes the cached prompt
   * tokens, which OpenAI's {@code prompt_tokens} includes.
   */
  static ObjectNode usage(JsonNode chatUsage) {
    ObjectNode usage = Json.MAPPER.createObjectNode();
    long prompt = chatUsage == null ? 0 : chatUsage.path("prompt_tokens").asLong(0);
    long cacheRead =
        chatUsage == null
            ? 0
            : chatUsage
                .path("prompt_tokens_details")
                .path("cached_tokens")
                .asLong(chatUsage.path("cache_read_input_tokens").asLong(0));
    long cacheWrite =
        chatUsage == null ? 0 : chatUsage.path("cache_creation_input_tokens").asLong(0);
    usage.put("input_tokens", Math.max(0, prompt - cacheRead));
    usage.put("cache_creation_input_tokens", cacheWrite);
    usage.put("cache_read_input_tokens", cacheRead);
    usage.put(
        "output_tokens", chatUsage == null ? 0 : chatUsage.path("completion_tokens").asLong(0));
    return usage;
  }
}
