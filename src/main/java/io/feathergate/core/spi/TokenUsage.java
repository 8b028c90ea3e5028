package io.feathergate.core.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code usage} object of a completion: token counts as the upstream reported them.
 *
 * @param promptTokens input tokens, cached ones included
 * @param completionTokens output tokens, reasoning ones included
 * @param totalTokens as reported, else the sum
 * @param cacheReadTokens input tokens read from the provider's prompt cache ({@code
 *     prompt_tokens_details.cached_tokens}, Anthropic's {@code cache_read_input_tokens})
 * @param cacheWriteTokens input tokens written to it ({@code cache_creation_input_tokens})
 * @param reasoningTokens output tokens spent on reasoning ({@code
 *     completion_tokens_details.reasoning_tokens})
 */
public record TokenUsage(
    long promptTokens,
    long completionTokens,
    long totalTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long reasoningTokens) {

  /** Counts without a cache or reasoning breakdown. */
  public TokenUsage(long promptTokens, long completionTokens, long totalTokens) {
    this(promptTokens, completionTokens, totalTokens, 0, 0, 0);
  }

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
    JsonNode inputDetails =
        usage.has("prompt_tokens_details")
            ? usage.path("prompt_tokens_details")
            : usage.path("input_tokens_details");
    JsonNode outputDetails =
        usage.has("completion_tokens_details")
            ? usage.path("completion_tokens_details")
            : usage.path("output_tokens_details");
    long cacheRead =
        inputDetails.path("cached_tokens").asLong(usage.path("cache_read_input_tokens").asLong(0));
    long cacheWrite = usage.path("cache_creation_input_tokens").asLong(0);
    return new TokenUsage(
        prompt,
        completion,
        usage.path("total_tokens").asLong(prompt + completion),
        Math.max(0, cacheRead),
        Math.max(0, cacheWrite),
        Math.max(0, outputDetails.path("reasoning_tokens").asLong(0)));
  }
}
