package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;

/** Anthropic's {@code stop_reason} as an OpenAI {@code finish_reason}. */
final class StopReasons {
  private StopReasons() {}

  /**
   * Maps a stop reason; an absent or unknown one is {@code stop}, so that a stream always ends with
   * a finish reason OpenAI clients know.
   */
  static String toFinishReason(String stopReason) {
    if (stopReason == null) {
      return "stop";
    }
    return switch (stopReason) {
      case "max_tokens" -> "length";
      // the context window filled up: like max_tokens, the answer was cut off by a size limit
      case "model_context_window_exceeded" -> "length";
      // LiteLLM's choice for a turn paused after compaction
      case "compaction" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      // end_turn, stop_sequence, pause_turn (a server-tool loop paused; the client may continue)
      default -> "stop";
    };
  }

  /**
   * The reason a refusal gives ({@code stop_details.explanation}), for OpenAI's {@code refusal}
   * field; null when the stop is no refusal or Anthropic gave no reason.
   */
  static String refusal(String stopReason, JsonNode stopDetails) {
    if (!"refusal".equals(stopReason) || stopDetails == null) {
      return null;
    }
    String explanation = AnthropicJson.text(stopDetails.get("explanation"));
    return explanation == null || explanation.isBlank() ? null : explanation;
  }
}
