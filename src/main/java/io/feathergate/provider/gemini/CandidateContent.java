package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What one Gemini candidate (or one streamed piece of it) says, sorted by where it goes in OpenAI's
 * answer. Parts OpenAI has no place for (inline images, executable code) are not carried.
 *
 * @param text the answer text, or null when the candidate has no text part
 * @param reasoning the thought summaries ({@code thought: true} parts), or null when none
 * @param functionCalls the function calls, in order
 */
record CandidateContent(String text, String reasoning, List<FunctionCall> functionCalls) {

  /**
   * One {@code functionCall} part.
   *
   * @param name the function's name
   * @param args the arguments object
   * @param thoughtSignature the part's signature, or null
   */
  record FunctionCall(String name, JsonNode args, String thoughtSignature) {}

  CandidateContent {
    functionCalls = List.copyOf(functionCalls);
  }

  /** Reads {@code candidate.content.parts}; a missing content or parts list is an empty answer. */
  static CandidateContent of(JsonNode candidate) {
    StringBuilder text = null;
    StringBuilder reasoning = null;
    List<FunctionCall> calls = new ArrayList<>();
    for (JsonNode part : candidate.path("content").path("parts")) {
      JsonNode call = part.get("functionCall");
      if (call != null && call.isObject()) {
        JsonNode args = call.get("args");
        calls.add(
            new FunctionCall(
                GeminiJson.text(call, "name"),
                args == null || args.isNull() ? GeminiJson.object() : args,
                GeminiJson.text(part, "thoughtSignature")));
      } else if (part.has("text")) {
        String value = part.get("text").asText();
        if (part.path("thought").asBoolean(false)) {
          reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(value);
        } else {
          text = (text == null ? new StringBuilder() : text).append(value);
        }
      }
    }
    return new CandidateContent(
        text == null ? null : text.toString(),
        reasoning == null ? null : reasoning.toString(),
        calls);
  }
}
