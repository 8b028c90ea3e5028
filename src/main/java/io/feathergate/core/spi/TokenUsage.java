package io.feathergate.core.spi;

import com.fasterxml.jackson.databind.JsonNode;

/** The {@code usage} object of a completion: token counts as the upstream reported them. */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens) {

  /**
   * The usage of an OpenAI-shaped {@code usage} object ({@code prompt_tokens}, {@code
   * completion_tokens}, {@code total_tokens}); null when it is absent, null or not an object.
   */
  public static TokenUsage of(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    // chat's names, else the Responses API's
    long prompt = usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(0));
    long completion = usage.path("completion_tokens").asLong(usage.path("output_tokens").asLong(0));
    return new TokenUsage(
        prompt, completion, usage.path("total_tokens").asLong(prompt + completion));
  }
}
