package io.feathergate.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Whether an answer says anything: an answer without output (no text, no tool call) is never
 * stored, so a model's empty reply is not served again for the entry's lifetime.
 */
final class Output {
  private Output() {}

  static boolean inAnswer(ChatCompletion completion) {
    JsonNode choices = readChoices(Json.readOrNull(completion.json()));
    if (!choices.isArray()) {
      // an answer in a provider's own shape is stored when it came with something
      return completion.inClientApi() && completion.json().length > 0;
    }
    for (JsonNode choice : choices) {
      // a chat message, or a text completion's text
      if (says(choice.path("message")) || !choice.path("text").asText("").isEmpty()) {
        return true;
      }
    }
    return false;
  }

  static boolean inChunks(List<String> chunks) {
    for (String chunk : chunks) {
      JsonNode parsed = Json.readOrNull(chunk.getBytes(StandardCharsets.UTF_8));
      for (JsonNode choice : readChoices(parsed)) {
        if (says(choice.path("delta"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static JsonNode readChoices(JsonNode answer) {
    return answer == null ? MissingNode.getInstance() : answer.path("choices");
  }

  /** A message or delta with text, a tool call, a function call or audio. */
  private static boolean says(JsonNode message) {
    JsonNode content = message.path("content");
    if (content.isTextual() && !content.asText().isEmpty()) {
      return true;
    }
    if (content.isArray() && !content.isEmpty()) {
      return true;
    }
    JsonNode toolCalls = message.path("tool_calls");
    return (toolCalls.isArray() && !toolCalls.isEmpty())
        || message.path("function_call").isObject()
        || message.path("audio").isObject();
  }
}
