package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Gemini's {@code alt=sse} stream into OpenAI chunks. Every Gemini event is a whole {@code
 * GenerateContentResponse} carrying only the new text, function calls arrive whole, and {@code
 * usageMetadata} is cumulative. So: one content delta per event and candidate; one tool-call delta
 * per function call, numbered 0, 1, ... per choice across the whole stream; the usage of the last
 * event only.
 *
 * <p>Finish chunks wait for the end of the stream: older models repeat {@code STOP} on every event,
 * a later event can still turn a {@code STOP} into {@code RECITATION}, and a function call seen in
 * any event turns {@code STOP} into {@code tool_calls}.
 */
final class GeminiStreamDecoder implements StreamDecoder {
  private static final int MAX_SNIPPET = 200;

  private final StreamContext context;
  private final Map<Integer, Choice> choices = new LinkedHashMap<>();
  private ChunkHeader header;
  private JsonNode lastUsage;
  private boolean promptBlocked;

  /** What the stream has said so far about one choice. */
  private static final class Choice {
    boolean roleSent;
    int toolCalls;
    String finishReason;
  }

  GeminiStreamDecoder(StreamContext context) {
    this.context = context;
  }

  @Override
  public void onEvent(SseEvent event, List<String> out) {
    String data = event.data().strip();
    if (!data.startsWith("{") && !data.startsWith("[")) {
      return; // keep-alives and blank events carry nothing
    }
    JsonNode root = GeminiJson.readOrNull(data);
    if (root == null) {
      throw GatewayException.upstreamProtocol(
          "a Gemini stream event is not JSON: "
              + (data.length() > MAX_SNIPPET ? data.substring(0, MAX_SNIPPET) + "..." : data));
    }
    if (root.isArray()) {
      for (JsonNode response : root) {
        onResponse(response, out);
      }
    } else {
      onResponse(root, out);
    }
  }

  private void onResponse(JsonNode response, List<String> out) {
    JsonNode error = response.get("error");
    if (error != null && error.isObject()) {
      throw GeminiErrors.fromErrorObject(200, error);
    }
    if (header == null) {
      header = ChunkHeader.of(response, context);
    }
    if (response.hasNonNull("usageMetadata")) {
      lastUsage = response.get("usageMetadata");
    }
    if (response.path("promptFeedback").hasNonNull("blockReason")) {
      promptBlocked = true;
    }
    JsonNode candidates = GeminiJson.candidates(response);
    for (int position = 0; position < candidates.size(); position++) {
      JsonNode candidate = candidates.get(position);
      int index = candidate.path("index").asInt(position);
      Choice choice = choices.computeIfAbsent(index, i -> new Choice());
      ObjectNode delta = delta(choice, CandidateContent.of(candidate));
      if (candidate.hasNonNull("finishReason")) {
        choice.finishReason = candidate.get("finishReason").asText();
      }
      if (!delta.isEmpty()) {
        out.add(header.chunk(index, delta, null));
      }
    }
  }

  private ObjectNode delta(Choice choice, CandidateContent content) {
    ObjectNode delta = GeminiJson.object();
    if (!choice.roleSent) {
      delta.put("role", "assistant");
      choice.roleSent = true;
    }
    if (content.reasoning() != null && !content.reasoning().isEmpty()) {
      delta.put("reasoning_content", content.reasoning());
    }
    if (content.text() != null && !content.text().isEmpty()) {
      delta.put("content", content.text());
    }
    if (!content.functionCalls().isEmpty()) {
      ArrayNode toolCalls = delta.putArray("tool_calls");
      for (CandidateContent.FunctionCall call : content.functionCalls()) {
        ObjectNode toolCall = GeminiResponseMapper.toolCall(call, context.ids());
        // numbered per choice across the whole stream, so parallel calls never share an index
        ObjectNode indexed = GeminiJson.object();
        indexed.put("index", choice.toolCalls++);
        indexed.setAll(toolCall);
        toolCalls.add(indexed);
      }
    }
    if (delta.size() == 1 && delta.has("role")) {
      // OpenAI's first chunk of a text answer: the role with empty content
      delta.put("content", "");
    }
    return delta;
  }

  @Override
  public TokenUsage usage() {
    return lastUsage == null ? null : TokenUsage.of(GeminiUsage.toOpenAi(lastUsage));
  }

  @Override
  public void onEnd(List<String> out) {
    if (header == null) {
      header = ChunkHeader.of(GeminiJson.object(), context);
    }
    if (choices.isEmpty()) {
      // no candidate at all: a blocked prompt, or an empty answer
      Choice only = new Choice();
      choices.put(0, only);
      out.add(header.chunk(0, delta(only, new CandidateContent(null, null, List.of())), null));
      out.add(
          header.chunk(
              0, GeminiJson.object(), promptBlocked ? FinishReasons.CONTENT_FILTER : "stop"));
    } else {
      choices.forEach(
          (index, choice) ->
              out.add(
                  header.chunk(
                      index,
                      GeminiJson.object(),
                      FinishReasons.toOpenAi(choice.finishReason, choice.toolCalls > 0))));
    }
    if (context.clientRequest().includeUsage() && lastUsage != null) {
      out.add(header.usageChunk(GeminiUsage.toOpenAi(lastUsage)));
    }
  }

  /** The id, creation time and model every chunk of one stream repeats. */
  private record ChunkHeader(String id, long created, String model) {

    /** From the first event: its response id and model version, else the gateway's. */
    static ChunkHeader of(JsonNode response, StreamContext context) {
      String responseId = GeminiJson.text(response, "responseId");
      String modelVersion = GeminiJson.text(response, "modelVersion");
      return new ChunkHeader(
          responseId != null ? responseId : context.responseId(),
          context.createdEpochSeconds(),
          modelVersion != null ? modelVersion : context.upstreamModel());
    }

    String chunk(int index, ObjectNode delta, String finishReason) {
      ObjectNode chunk = start();
      ObjectNode choice = chunk.putArray("choices").addObject();
      choice.put("index", index);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason);
      return Json.text(chunk);
    }

    String usageChunk(ObjectNode usage) {
      ObjectNode chunk = start();
      chunk.putArray("choices");
      chunk.set("usage", usage);
      return Json.text(chunk);
    }

    private ObjectNode start() {
      ObjectNode chunk = GeminiJson.object();
      chunk.put("id", id);
      chunk.put("object", "chat.completion.chunk");
      chunk.put("created", created);
      chunk.put("model", model);
      return chunk;
    }
  }
}
