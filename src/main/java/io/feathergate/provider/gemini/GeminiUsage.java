package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Gemini's {@code usageMetadata} as OpenAI's {@code usage}. */
final class GeminiUsage {
  private GeminiUsage() {}

  /**
   * Prompt tokens are what the model read ({@code promptTokenCount}, plus {@code
   * toolUsePromptTokenCount} for built-in tools); completion tokens are what it wrote, thoughts
   * included ({@code candidatesTokenCount + thoughtsTokenCount}), as OpenAI counts reasoning
   * tokens; the total is Gemini's own.
   *
   * @return the usage, or null when the response has none
   */
  static ObjectNode toOpenAi(JsonNode usageMetadata) {
    if (usageMetadata == null || !usageMetadata.isObject()) {
      return null;
    }
    long prompt =
        usageMetadata.path("promptTokenCount").asLong(0)
            + usageMetadata.path("toolUsePromptTokenCount").asLong(0);
    long thoughts = usageMetadata.path("thoughtsTokenCount").asLong(0);
    long completion = usageMetadata.path("candidatesTokenCount").asLong(0) + thoughts;
    long total = usageMetadata.path("totalTokenCount").asLong(prompt + completion);
    ObjectNode usage = GeminiJson.object();
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", total);
    usage
        .putObject("prompt_tokens_details")
        .put("cached_tokens", usageMetadata.path("cachedContentTokenCount").asLong(0));
    usage.putObject("completion_tokens_details").put("reasoning_tokens", thoughts);
    return usage;
  }
}
