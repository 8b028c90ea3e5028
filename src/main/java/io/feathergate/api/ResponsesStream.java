package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code chat.completion.chunk}s as the Responses API's stream: {@code response.created} and {@code
 * response.in_progress}, then one output item at a time (reasoning with its summary text, an
 * assistant message with its text part, function calls with their arguments), each added, streamed
 * and done, and {@code response.completed} (or {@code response.incomplete}) with the whole
 * response. Every event carries the next {@code sequence_number}, and the response's and items' ids
 * are the same in every event that names them. A state machine fed one stream's chunks in order.
 */
final class ResponsesStream {
  private enum Kind {
    NONE,
    REASONING,
    MESSAGE,
    FUNCTION_CALL
  }

  private final ResponsesTurn turn;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private final ArrayNode output = Json.MAPPER.createArrayNode();

  private boolean started;
  private int sequence;
  private String model;

  private Kind open = Kind.NONE;
  private int openIndex = -1;
  private String openId;
  private final StringBuilder openText = new StringBuilder();

  /** The open function call's chat index, call id and name. */
  private int openToolIndex = -1;

  private String openCallId;
  private String openName;

  private String finishReason;
  private JsonNode chatUsage;

  ResponsesStream(ResponsesTurn turn) {
    this.turn = turn;
  }

  /** The events for one chunk; may be empty. */
  byte[] chunk(String chunkJson) {
    JsonNode chunk = Json.readOrNull(chunkJson.getBytes(StandardCharsets.UTF_8));
    if (chunk == null || !chunk.isObject()) {
      return new byte[0];
    }
    if (model == null && chunk.hasNonNull("model")) {
      model = chunk.path("model").asText();
    }
    start();
    JsonNode usage = chunk.get("usage");
    if (usage != null && usage.isObject()) {
      chatUsage = usage;
    }
    JsonNode choice = chunk.path("choices").path(0);
    JsonNode delta = choice.path("delta");
    String reasoning = delta.path("reasoning_content").asText("");
    if (!reasoning.isEmpty()) {
      ensureOpen(Kind.REASONING);
      ObjectNode event = itemEvent("response.reasoning_summary_text.delta");
      event.put("summary_index", 0);
      event.put("delta", reasoning);
      openText.append(reasoning);
      emit(event);
    }
    String text = delta.path("content").asText("");
    if (!text.isEmpty()) {
      ensureOpen(Kind.MESSAGE);
      ObjectNode event = itemEvent("response.output_text.delta");
      event.put("content_index", 0);
      event.put("delta", text);
      event.putArray("logprobs");
      openText.append(text);
      emit(event);
    }
    for (JsonNode call : delta.path("tool_calls")) {
      toolCall(call);
    }
    JsonNode finish = choice.get("finish_reason");
    if (finish != null && finish.isTextual()) {
      finishReason = finish.asText();
    }
    return drain();
  }

  private void toolCall(JsonNode call) {
    int index = call.path("index").asInt(0);
    JsonNode function = call.path("function");
    if (open != Kind.FUNCTION_CALL || index != openToolIndex) {
      close();
      openToolIndex = index;
      openCallId = call.path("id").asText(turn.itemId("call", output.size()));
      openName = function.path("name").asText("");
      open(Kind.FUNCTION_CALL);
    }
    String arguments = function.path("arguments").asText("");
    if (!arguments.isEmpty()) {
      ObjectNode event = itemEvent("response.function_call_arguments.delta");
      event.put("delta", arguments);
      openText.append(arguments);
      emit(event);
    }
  }

  /** The closing events, with the usage the upstream reported (or null). */
  byte[] end(TokenUsage usage) {
    start();
    close();
    String status = ResponsesObjects.status(finishReason);
    ObjectNode response = response(status, ResponsesObjects.usage(chatUsage, usage), null);
    turn.record(response);
    ObjectNode event =
        event(status.equals("completed") ? "response.completed" : "response.incomplete");
    event.set("response", response);
    emit(event);
    return drain();
  }

  /** The closing events of a stream that failed after it began. */
  byte[] failed(ObjectNode error) {
    start();
    close();
    ObjectNode event = event("response.failed");
    event.set("response", response("failed", ResponsesObjects.usage(chatUsage, null), error));
    emit(event);
    return drain();
  }

  private ObjectNode response(String status, JsonNode usage, ObjectNode error) {
    return ResponsesObjects.response(
        turn, status, model, output.deepCopy(), usage, finishReason, error);
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    ObjectNode created = event("response.created");
    created.set("response", response("in_progress", null, null));
    emit(created);
    ObjectNode inProgress = event("response.in_progress");
    inProgress.set("response", response("in_progress", null, null));
    emit(inProgress);
  }

  private void ensureOpen(Kind kind) {
    if (open != kind) {
      close();
      open(kind);
    }
  }

  private void open(Kind kind) {
    open = kind;
    openIndex = output.size();
    openText.setLength(0);
    ObjectNode item;
    switch (kind) {
      case REASONING -> {
        openId = turn.itemId("rs", openIndex);
        item = ResponsesObjects.reasoning(openId, null);
      }
      case MESSAGE -> {
        openId = turn.itemId("msg", openIndex);
        item = ResponsesObjects.message(openId, "in_progress", null);
      }
      default -> {
        openId = turn.itemId("fc", openIndex);
        item = ResponsesObjects.functionCall(openId, "in_progress", openCallId, openName, "");
      }
    }
    // the item takes its place in the output now, so that the indexes of later items follow it
    output.add(item);
    ObjectNode added = event("response.output_item.added");
    added.put("output_index", openIndex);
    added.set("item", item.deepCopy());
    emit(added);
    if (kind == Kind.MESSAGE) {
      ObjectNode part = itemEvent("response.content_part.added");
      part.put("content_index", 0);
      part.set("part", ResponsesObjects.textPart(""));
      emit(part);
    } else if (kind == Kind.REASONING) {
      ObjectNode part = itemEvent("response.reasoning_summary_part.added");
      part.put("summary_index", 0);
      part.putObject("part").put("type", "summary_text").put("text", "");
      emit(part);
    }
  }

  private void close() {
    if (open == Kind.NONE) {
      return;
    }
    String text = openText.toString();
    ObjectNode item;
    switch (open) {
      case REASONING -> {
        ObjectNode done = itemEvent("response.reasoning_summary_text.done");
        done.put("summary_index", 0);
        done.put("text", text);
        emit(done);
        ObjectNode partDone = itemEvent("response.reasoning_summary_part.done");
        partDone.put("summary_index", 0);
        partDone.putObject("part").put("type", "summary_text").put("text", text);
        emit(partDone);
        item = ResponsesObjects.reasoning(openId, text);
      }
      case MESSAGE -> {
        ObjectNode done = itemEvent("response.output_text.done");
        done.put("content_index", 0);
        done.put("text", text);
        done.putArray("logprobs");
        emit(done);
        ObjectNode partDone = itemEvent("response.content_part.done");
        partDone.put("content_index", 0);
        partDone.set("part", ResponsesObjects.textPart(text));
        emit(partDone);
        item = ResponsesObjects.message(openId, "completed", text);
      }
      default -> {
        ObjectNode done = itemEvent("response.function_call_arguments.done");
        done.put("name", openName);
        done.put("arguments", text);
        emit(done);
        item = ResponsesObjects.functionCall(openId, "completed", openCallId, openName, text);
      }
    }
    output.set(openIndex, item);
    ObjectNode itemDone = event("response.output_item.done");
    itemDone.put("output_index", openIndex);
    itemDone.set("item", item.deepCopy());
    emit(itemDone);
    open = Kind.NONE;
    openToolIndex = -1;
  }

  private ObjectNode event(String type) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("type", type);
    event.put("sequence_number", sequence++);
    return event;
  }

  /** An event about the open item. */
  private ObjectNode itemEvent(String type) {
    ObjectNode event = event(type);
    event.put("item_id", openId);
    event.put("output_index", openIndex);
    return event;
  }

  private void emit(ObjectNode event) {
    out.writeBytes(SseFrames.named(event.path("type").asText(), event.toString()));
  }

  private byte[] drain() {
    byte[] frames = out.toByteArray();
    out.reset();
    return frames;
  }
}
