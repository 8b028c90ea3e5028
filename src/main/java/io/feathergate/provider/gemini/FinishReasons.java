package io.feathergate.provider.gemini;

import java.util.Set;

/** Gemini's {@code finishReason} as OpenAI's {@code finish_reason}. */
final class FinishReasons {
  static final String CONTENT_FILTER = "content_filter";

  /**
   * Reasons that mean the answer was withheld or cut by a filter; so does every {@code IMAGE_...}
   * reason (IMAGE_SAFETY, IMAGE_PROHIBITED_CONTENT, IMAGE_RECITATION, IMAGE_OTHER, and later ones).
   */
  private static final Set<String> FILTERED =
      Set.of(
          "SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "OTHER");

  private FinishReasons() {}

  /**
   * Maps one candidate's reason.
   *
   * @param reason Gemini's value, or null when the upstream gave none
   * @param sawFunctionCall whether the candidate called a function anywhere in the response or
   *     stream: Gemini ends those with {@code STOP}, and an agent that sees {@code stop} instead of
   *     {@code tool_calls} never runs the tools (LiteLLM #21041)
   */
  static String toOpenAi(String reason, boolean sawFunctionCall) {
    if ("MAX_TOKENS".equals(reason)) {
      return "length";
    }
    if (reason != null && (FILTERED.contains(reason) || reason.startsWith("IMAGE_"))) {
      return CONTENT_FILTER;
    }
    // STOP, none, MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS, NO_IMAGE,
    // FINISH_REASON_UNSPECIFIED and values added after this was written
    return sawFunctionCall ? "tool_calls" : "stop";
  }
}
