package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;

/**
 * Anthropic's token counts. {@code input_tokens} excludes cached prompt tokens, so the OpenAI
 * {@code prompt_tokens} adds the cache reads back (protocols.md §6, as LiteLLM does); the cache
 * writes are reported beside it rather than inside it.
 *
 * @param inputTokens {@code input_tokens}: prompt tokens neither read from nor written to the cache
 * @param outputTokens {@code output_tokens}: the final, cumulative count
 * @param cacheReadInputTokens {@code cache_read_input_tokens}
 * @param cacheCreationInputTokens {@code cache_creation_input_tokens}
 * @param thinkingTokens {@code output_tokens_details.thinking_tokens}, or null when not reported
 */
record AnthropicUsage(
    long inputTokens,
    long outputTokens,
    long cacheReadInputTokens,
    long cacheCreationInputTokens,
    Long thinkingTokens) {

  static final AnthropicUsage NONE = new AnthropicUsage(0, 0, 0, 0, null);

  /** Reads a {@code usage} object; absent fields count as zero. */
  static AnthropicUsage from(JsonNode usage) {
    return NONE.updatedWith(usage);
  }

  /**
   * The counts after a later report. Anthropic's counts are cumulative, so a field that is present
   * replaces the earlier value (never adds to it), and a field that is absent keeps it.
   */
  AnthropicUsage updatedWith(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return this;
    }
    JsonNode thinking = usage.path("output_tokens_details").path("thinking_tokens");
    return new AnthropicUsage(
        count(usage, "input_tokens", inputTokens),
        count(usage, "output_tokens", outputTokens),
        count(usage, "cache_read_input_tokens", cacheReadInputTokens),
        count(usage, "cache_creation_input_tokens", cacheCreationInputTokens),
        thinking.canConvertToLong() ? Long.valueOf(thinking.asLong()) : thinkingTokens);
  }

  private static long count(JsonNode usage, String field, long previous) {
    JsonNode value = usage.get(field);
    return value != null && value.canConvertToLong() ? value.asLong() : previous;
  }

  long promptTokens() {
    return inputTokens + cacheReadInputTokens;
  }

  /**
   * The OpenAI {@code usage} object. LiteLLM's extra keys ({@code cache_read_input_tokens}, {@code
   * cache_creation_input_tokens}, {@code prompt_tokens_details.cache_creation_tokens}) are kept, so
   * that cost reports built on LiteLLM's output keep working.
   */
  TokenUsage tokens() {
    long prompt = promptTokens();
    return new TokenUsage(prompt, outputTokens, prompt + outputTokens);
  }

  ObjectNode toOpenAi() {
    ObjectNode usage = Json.MAPPER.createObjectNode();
    long prompt = promptTokens();
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", outputTokens);
    usage.put("total_tokens", prompt + outputTokens);
    ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
    promptDetails.put("cached_tokens", cacheReadInputTokens);
    promptDetails.put("cache_creation_tokens", cacheCreationInputTokens);
    if (thinkingTokens != null) {
      usage.putObject("completion_tokens_details").put("reasoning_tokens", thinkingTokens);
    }
    usage.put("cache_read_input_tokens", cacheReadInputTokens);
    usage.put("cache_creation_input_tokens", cacheCreationInputTokens);
    return usage;
  }
}
