package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;

/**
 * Writes the {@code chat.completion.chunk} JSON of one stream. Every chunk of a stream shares
 * {@code id}, {@code object}, {@code created} and {@code model}, so that head is serialised once.
 */
final class ChunkWriter {
  private final String head;

  ChunkWriter(String id, long created, String model) {
    ObjectNode header = Json.MAPPER.createObjectNode();
    header.put("id", id);
    header.put("object", "chat.completion.chunk");
    header.put("created", created);
    header.put("model", model);
    String json = AnthropicJson.writeString(header);
    // the head is the object without its closing brace, ready for ,"choices":...
    this.head = json.substring(0, json.length() - 1);
  }

  /** A chunk of choice 0 carrying {@code delta}. */
  String delta(ObjectNode delta) {
    return head
        + ",\"choices\":[{\"index\":0,\"delta\":"
        + AnthropicJson.writeString(delta)
        + ",\"logprobs\":null,\"finish_reason\":null}]}";
  }

  /** The chunk that ends choice 0: an empty delta and the finish reason. */
  String finish(String finishReason) {
    return head
        + ",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":"
        + AnthropicJson.writeString(finishReason)
        + "}]}";
  }

  /** The usage chunk of {@code stream_options.include_usage}: no choices, only usage. */
  String usage(ObjectNode usage) {
    return head + ",\"choices\":[],\"usage\":" + AnthropicJson.writeString(usage) + "}";
  }
}
