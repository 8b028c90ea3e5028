package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.IdSource;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.wire.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole Gemini {@code GenerateContentResponse} as an OpenAI {@code chat.completion}: one choice
 * per candidate; a prompt Gemini blocked (no candidates, {@code promptFeedback.blockReason}) as one
 * choice with no content and {@code finish_reason: "content_filter"}, the way OpenAI reports its
 * own filter.
 */
final class GeminiResponseMapper {
  private GeminiResponseMapper() {}

  /**
   * Maps a response; a JSON array (the stream URL answered without {@code alt=sse}) is merged into
   * one response first.
   *
   * @throws GatewayException when the body carries an {@code error} instead of an answer
   */
  static ObjectNode toCompletion(JsonNode response, StreamContext context) {
    JsonNode whole = response.isArray() ? merge(response) : response;
    JsonNode error = whole.get("error");
    if (error != null && error.isObject()) {
      throw GeminiErrors.fromErrorObject(500, error);
    }
    ObjectNode completion = GeminiJson.object();
    String responseId = GeminiJson.text(whole, "responseId");
    String modelVersion = GeminiJson.text(whole, "modelVersion");
    completion.put("id", responseId != null ? responseId : context.responseId());
    completion.put("object", "chat.completion");
    completion.put("created", context.createdEpochSeconds());
    completion.put("model", modelVersion != null ? modelVersion : context.upstreamModel());
    ArrayNode choices = completion.putArray("choices");
    JsonNode candidates = GeminiJson.candidates(whole);
    if (candidates.isEmpty()) {
      boolean blocked = whole.path("promptFeedback").hasNonNull("blockReason");
      choices.add(choice(0, null, null, null, blocked ? FinishReasons.CONTENT_FILTER : "stop"));
    }
    for (int position = 0; position < candidates.size(); position++) {
      JsonNode candidate = candidates.get(position);
      CandidateContent content = CandidateContent.of(candidate);
      ArrayNode toolCalls = toolCalls(content, context.ids());
      String finish =
          FinishReasons.toOpenAi(
              GeminiJson.text(candidate, "finishReason"), !content.functionCalls().isEmpty());
      choices.add(
          choice(
              candidate.path("index").asInt(position),
              content.text(),
              content.reasoning(),
              toolCalls,
              finish));
    }
    ObjectNode usage = GeminiUsage.toOpenAi(whole.get("usageMetadata"));
    if (usage != null) {
      completion.set("usage", usage);
    }
    return completion;
  }

  private static ObjectNode choice(
      int index, String text, String reasoning, ArrayNode toolCalls, String finishReason) {
    ObjectNode choice = GeminiJson.object();
    choice.put("index", index);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", text);
    if (reasoning != null) {
      message.put("reasoning_content", reasoning);
    }
    if (toolCalls != null && !toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    return choice;
  }

  /** OpenAI tool calls: a fresh id (with the thought signature), arguments as a JSON string. */
  static ArrayNode toolCalls(CandidateContent content, IdSource ids) {
    ArrayNode toolCalls = GeminiJson.array();
    for (CandidateContent.FunctionCall call : content.functionCalls()) {
      toolCalls.add(toolCall(call, ids));
    }
    return toolCalls;
  }

  static ObjectNode toolCall(CandidateContent.FunctionCall call, IdSource ids) {
    ObjectNode toolCall = GeminiJson.object();
    toolCall.put("id", ThoughtSignatures.encode(ids.toolCallId(), call.thoughtSignature()));
    toolCall.put("type", "function");
    ObjectNode function = toolCall.putObject("function");
    function.put("name", call.name());
    function.put("arguments", Json.text(call.args()));
    return toolCall;
  }

  /**
   * Folds the responses of a streamed answer into one: parts appended per candidate index, the last
   * finish reason and usage kept (usage is cumulative), the first id and model kept.
   */
  static JsonNode merge(JsonNode responses) {
    ObjectNode merged = GeminiJson.object();
    Map<Integer, ObjectNode> candidates = new LinkedHashMap<>();
    for (JsonNode response : responses) {
      if (response.has("error")) {
        return response;
      }
      for (String field : new String[] {"responseId", "modelVersion"}) {
        if (!merged.has(field) && response.hasNonNull(field)) {
          merged.set(field, response.get(field));
        }
      }
      for (String field : new String[] {"usageMetadata", "promptFeedback"}) {
        if (response.hasNonNull(field)) {
          merged.set(field, response.get(field));
        }
      }
      JsonNode pieces = GeminiJson.candidates(response);
      for (int position = 0; position < pieces.size(); position++) {
        JsonNode piece = pieces.get(position);
        ObjectNode candidate =
            candidates.computeIfAbsent(
                piece.path("index").asInt(position), GeminiResponseMapper::emptyCandidate);
        if (piece.path("content").path("parts") instanceof ArrayNode parts) {
          ((ArrayNode) candidate.get("content").get("parts")).addAll(parts);
        }
        if (piece.hasNonNull("finishReason")) {
          candidate.set("finishReason", piece.get("finishReason"));
        }
      }
    }
    ArrayNode list = merged.putArray("candidates");
    candidates.values().forEach(list::add);
    return merged;
  }

  private static ObjectNode emptyCandidate(int index) {
    ObjectNode candidate = Json.MAPPER.createObjectNode();
    candidate.put("index", index);
    candidate.putObject("content").put("role", "model").putArray("parts");
    return candidate;
  }
}
