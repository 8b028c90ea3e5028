package io.feathergate.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers from a deployment's {@code mock_response} without any upstream call, as LiteLLM does: a
 * demo model that works with no network and no key, and a fixed target for tests and benchmarks.
 * Token counts are estimates (four characters a token), marked as such by nothing but this note.
 */
final class MockCompletions {
  private MockCompletions() {}

  static void serve(
      String text, StreamContext context, Map<String, String> headers, ClientChannel client) {
    Usage usage =
        new Usage(
            estimateTokens(context.clientRequest().body().get("messages")), estimateTokens(text));
    if (!context.clientRequest().stream()) {
      client.respond(200, headers, toBytes(completion(text, context, usage)));
      return;
    }
    for (String chunk : chunks(text, context, usage)) {
      client.sendEvent(headers, SseFrames.data(chunk));
    }
    client.sendEvent(headers, SseFrames.done());
    client.endStream();
  }

  private record Usage(int prompt, int completion) {}

  static ObjectNode completion(String text, StreamContext context, Usage usage) {
    ObjectNode root = header(context, "chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", text);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    putUsage(root, usage);
    return root;
  }

  static List<String> chunks(String text, StreamContext context, Usage usage) {
    List<String> chunks = new ArrayList<>();
    ObjectNode first = chunk(context);
    ObjectNode delta = delta(first);
    delta.put("role", "assistant");
    delta.put("content", "");
    chunks.add(first.toString());
    for (String piece : pieces(text)) {
      ObjectNode content = chunk(context);
      delta(content).put("content", piece);
      chunks.add(content.toString());
    }
    ObjectNode finish = chunk(context);
    ((ObjectNode) finish.get("choices").get(0)).put("finish_reason", "stop");
    chunks.add(finish.toString());
    if (context.clientRequest().includeUsage()) {
      ObjectNode usageChunk = header(context, "chat.completion.chunk");
      usageChunk.putArray("choices");
      putUsage(usageChunk, usage);
      chunks.add(usageChunk.toString());
    }
    return chunks;
  }

  /** Splits after each space, so the pieces joined give the text back exactly. */
  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ' ') {
        pieces.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      pieces.add(text.substring(start));
    }
    return pieces;
  }

  private static ObjectNode chunk(StreamContext context) {
    ObjectNode chunk = header(context, "chat.completion.chunk");
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("delta");
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return chunk;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return (ObjectNode) chunk.get("choices").get(0).get("delta");
  }

  private static ObjectNode header(StreamContext context, String object) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", context.responseId());
    root.put("object", object);
    root.put("created", context.createdEpochSeconds());
    root.put("model", context.upstreamModel());
    return root;
  }

  private static void putUsage(ObjectNode root, Usage usage) {
    ObjectNode node = root.putObject("usage");
    node.put("prompt_tokens", usage.prompt());
    node.put("completion_tokens", usage.completion());
    node.put("total_tokens", usage.prompt() + usage.completion());
  }

  private static int estimateTokens(JsonNode messages) {
    int chars = 0;
    if (messages != null) {
      for (JsonNode message : messages) {
        JsonNode content = message.get("content");
        chars +=
            content == null
                ? 0
                : content.isTextual() ? content.asText().length() : content.toString().length();
      }
    }
    return Math.max(1, (chars + 3) / 4);
  }

  private static int estimateTokens(String text) {
    return Math.max(1, (text.length() + 3) / 4);
  }

  private static byte[] toBytes(ObjectNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
