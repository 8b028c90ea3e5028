package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code chat.completion.chunk}s as Anthropic's stream: {@code message_start}, then one content
 * block at a time ({@code thinking}, {@code text}, {@code tool_use}: start, deltas, stop), then
 * {@code message_delta} with the stop reason and usage, and {@code message_stop}. A state machine
 * fed the chunks of one stream in order.
 */
final class MessagesStream {
  private enum Block {
    NONE,
    THINKING,
    TEXT,
    TOOL
  }

  private final ToolNames toolNames;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  private boolean started;
  private Block open = Block.NONE;
  private int openIndex = -1;
  private int blocks;

  /** The content block of each tool call, by the chunk's tool-call index. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();

  private String stopReason;
  private JsonNode chatUsage;

  MessagesStream(ToolNames toolNames) {
    this.toolNames = toolNames;
  }

  /** The events for one chunk; may be empty. */
  byte[] chunk(String chunkJson) {
    JsonNode chunk = Json.readOrNull(chunkJson.getBytes(StandardCharsets.UTF_8));
    if (chunk == null || !chunk.isObject()) {
      return new byte[0];
    }
    start(chunk);
    JsonNode usage = chunk.get("usage");
    if (usage != null && usage.isObject()) {
      chatUsage = usage;
    }
    JsonNode choice = chunk.path("choices").path(0);
    JsonNode delta = choice.path("delta");
    JsonNode reasoning = delta.get("reasoning_content");
    if (reasoning != null && reasoning.isTextual() && !reasoning.asText().isEmpty()) {
      ensureOpen(Block.THINKING);
      delta("thinking_delta", "thinking", reasoning.asText());
    }
    for (JsonNode block : delta.path("thinking_blocks")) {
      JsonNode signature = block.get("signature");
      if (signature != null && signature.isTextual() && !signature.asText().isEmpty()) {
        ensureOpen(Block.THINKING);
        delta("signature_delta", "signature", signature.asText());
      }
    }
    JsonNode text = delta.get("content");
    if (text != null && text.isTextual() && !text.asText().isEmpty()) {
      ensureOpen(Block.TEXT);
      delta("text_delta", "text", text.asText());
    }
    for (JsonNode call : delta.path("tool_calls")) {
      toolCall(call);
    }
    JsonNode finish = choice.get("finish_reason");
    if (finish != null && finish.isTextual()) {
      stopReason = MessagesAnswer.stopReason(finish.asText());
    }
    return drain();
  }

  /** The closing events, with the usage the upstream reported (or null). */
  byte[] end(TokenUsage usage) {
    start(null);
    close();
    ObjectNode messageDelta = Json.MAPPER.createObjectNode();
    messageDelta.put("type", "message_delta");
    ObjectNode delta = messageDelta.putObject("delta");
    delta.put("stop_reason", stopReason == null ? "end_turn" : stopReason);
    delta.putNull("stop_sequence");
    messageDelta.set("usage", MessagesAnswer.usage(usageNode(usage)));
    event("message_delta", messageDelta);
    ObjectNode stop = Json.MAPPER.createObjectNode().put("type", "message_stop");
    event("message_stop", stop);
    return drain();
  }

  private JsonNode usageNode(TokenUsage usage) {
    if (chatUsage != null || usage == null) {
      return chatUsage;
    }
    return Json.MAPPER
        .createObjectNode()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens());
  }

  private void start(JsonNode chunk) {
    if (started) {
      return;
    }
    started = true;
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("type", "message_start");
    ObjectNode message = event.putObject("message");
    message.put("id", MessagesAnswer.messageId(chunk == null ? "" : chunk.path("id").asText("")));
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", chunk == null ? "" : chunk.path("model").asText(""));
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    // the chat schema reports usage at the end: message_delta carries every count
    message.set("usage", MessagesAnswer.usage(null));
    event("message_start", event);
  }

  private void toolCall(JsonNode call) {
    int index = call.path("index").asInt(0);
    Integer block = toolBlocks.get(index);
    JsonNode function = call.path("function");
    if (block == null || (call.hasNonNull("id") && block != openIndex)) {
      close();
      openIndex = blocks++;
      open = Block.TOOL;
      toolBlocks.put(index, openIndex);
      block = openIndex;
      ObjectNode start = startEvent(openIndex);
      start
          .putObject("content_block")
          .put("type", "tool_use")
          .put("id", call.path("id").asText(""))
          .put("name", toolNames.original(function.path("name").asText("")))
          .putObject("input");
      event("content_block_start", start);
    }
    String arguments = function.path("arguments").asText("");
    if (!arguments.isEmpty()) {
      // a provider that interleaves calls gets each fragment on its own call's block
      ObjectNode event = Json.MAPPER.createObjectNode();
      event.put("type", "content_block_delta");
      event.put("index", block);
      event.putObject("delta").put("type", "input_json_delta").put("partial_json", arguments);
      event("content_block_delta", event);
    }
  }

  private void ensureOpen(Block kind) {
    if (open == kind) {
      return;
    }
    close();
    open = kind;
    openIndex = blocks++;
    ObjectNode start = startEvent(openIndex);
    ObjectNode block = start.putObject("content_block");
    if (kind == Block.THINKING) {
      block.put("type", "thinking").put("thinking", "").put("signature", "");
    } else {
      block.put("type", "text").put("text", "");
    }
    event("content_block_start", start);
  }

  private static ObjectNode startEvent(int index) {
    ObjectNode start = Json.MAPPER.createObjectNode();
    start.put("type", "content_block_start");
    start.put("index", index);
    return start;
  }

  private void delta(String type, String field, String value) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("type", "content_block_delta");
    event.put("index", openIndex);
    event.putObject("delta").put("type", type).put(field, value);
    event("content_block_delta", event);
  }

  private void close() {
    if (open == Block.NONE) {
      return;
    }
    ObjectNode stop = Json.MAPPER.createObjectNode();
    stop.put("type", "content_block_stop");
    stop.put("index", openIndex);
    event("content_block_stop", stop);
    open = Block.NONE;
  }

  private void event(String name, ObjectNode data) {
    out.writeBytes(SseFrames.named(name, data.toString()));
  }

  private byte[] drain() {
    byte[] events = out.toByteArray();
    out.reset();
    return events;
  }
}
