package io.feathergate.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a whole {@code chat.completion} into the {@code chat.completion.chunk} sequence a stream
 * would have carried: per choice a role chunk, the content (in word-sized pieces or whole), the
 * tool calls, a finish chunk; then the usage chunk when the client asked for it. Serves streaming
 * clients of mock deployments and of upstreams that answer a stream request with plain JSON.
 */
final class CompletionChunks {
  private CompletionChunks() {}

  static List<String> of(ObjectNode completion, boolean includeUsage, boolean splitContent) {
    List<String> chunks = new ArrayList<>();
    for (JsonNode choice : completion.path("choices")) {
      int index = choice.path("index").asInt(0);
      JsonNode message = choice.path("message");
      ObjectNode roleDelta = Json.MAPPER.createObjectNode();
      roleDelta.put("role", message.path("role").asText("assistant"));
      roleDelta.put("content", "");
      chunks.add(chunk(completion, index, roleDelta, null));
      String content = message.path("content").isTextual() ? message.get("content").asText() : "";
      for (String piece : splitContent ? words(content) : List.of(content)) {
        if (!piece.isEmpty()) {
          ObjectNode delta = Json.MAPPER.createObjectNode();
          delta.put("content", piece);
          chunks.add(chunk(completion, index, delta, null));
        }
      }
      JsonNode toolCalls = message.path("tool_calls");
      if (toolCalls.isArray() && !toolCalls.isEmpty()) {
        ArrayNode indexed = Json.MAPPER.createArrayNode();
        for (int i = 0; i < toolCalls.size(); i++) {
          ObjectNode call = toolCalls.get(i).deepCopy();
          call.put("index", i);
          indexed.add(call);
        }
        ObjectNode delta = Json.MAPPER.createObjectNode();
        delta.set("tool_calls", indexed);
        chunks.add(chunk(completion, index, delta, null));
      }
      chunks.add(
          chunk(
              completion,
              index,
              Json.MAPPER.createObjectNode(),
              choice.path("finish_reason").asText("stop")));
    }
    if (includeUsage && completion.has("usage")) {
      ObjectNode usageChunk = header(completion);
      usageChunk.putArray("choices");
      usageChunk.set("usage", completion.get("usage"));
      chunks.add(Json.text(usageChunk));
    }
    return chunks;
  }

  private static String chunk(ObjectNode completion, int index, ObjectNode delta, String finish) {
    ObjectNode chunk = header(completion);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", index);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    return Json.text(chunk);
  }

  private static ObjectNode header(ObjectNode completion) {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.set("id", completion.get("id"));
    chunk.put("object", "chat.completion.chunk");
    chunk.set("created", completion.get("created"));
    chunk.set("model", completion.get("model"));
    return chunk;
  }

  /** Splits after each space, so the pieces joined give the text back exactly. */
  static List<String> words(String text) {
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
}
