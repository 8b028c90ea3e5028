package io.feathergate.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.wire.Json;
import java.util.Map;

/**
 * Answers from a deployment's {@code mock_response} without any upstream call, as LiteLLM does: a
 * demo model that works with no network and no key, and a fixed target for tests and benchmarks.
 * Token counts are estimates (about four characters a token).
 */
final class MockCompletions {
  private MockCompletions() {}

  static void serve(
      String text, StreamContext context, Map<String, String> headers, ClientChannel client) {
    ObjectNode completion = completion(text, context);
    ChatCompletion answer = ChatCompletion.of(completion);
    if (!context.clientRequest().stream()) {
      client.respond(headers, answer);
      return;
    }
    for (String chunk :
        CompletionChunks.of(completion, context.clientRequest().includeUsage(), true)) {
      client.sendChunk(headers, chunk);
    }
    client.endStream(headers, answer.usage());
  }

  static ObjectNode completion(String text, StreamContext context) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", context.responseId());
    root.put("object", "chat.completion");
    root.put("created", context.createdEpochSeconds());
    root.put("model", context.upstreamModel());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", text);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    int prompt = estimateTokens(context.clientRequest().body().get("messages"));
    int completionTokens = estimateTokens(text.length());
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", prompt + completionTokens);
    return root;
  }

  private static int estimateTokens(JsonNode messages) {
    int chars = 0;
    if (messages != null) {
      for (JsonNode message : messages) {
        JsonNode content = message.get("content");
        if (content != null) {
          chars += content.isTextual() ? content.asText().length() : Json.text(content).length();
        }
      }
    }
    return estimateTokens(chars);
  }

  private static int estimateTokens(int chars) {
    return Math.max(1, (chars + 3) / 4);
  }
}
