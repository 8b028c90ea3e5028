package io.feathergate.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

  @Test
  void openAiNamesGoThroughAndArePrefixedAsLiteLlmDoes() {
    Map<String, String> merged =
        RateLimitHeaders.merge(
            Map.of("x-litellm-model-id", "d1"),
            Map.of(
                "x-ratelimit-remaining-requests", "9",
                "retry-after", "3",
                "retry-after-ms", "2500",
                "set-cookie", "session=1",
                "openai-processing-ms", "12"));
    assertThat(merged)
        .containsEntry("x-litellm-model-id", "d1")
        .containsEntry("x-ratelimit-remaining-requests", "9")
        .containsEntry("llm_provider-x-ratelimit-remaining-requests", "9")
        .containsEntry("retry-after", "3")
        .containsEntry("retry-after-ms", "2500")
        .doesNotContainKey("set-cookie")
        .doesNotContainKey("openai-processing-ms");
  }

  @Test
  void anthropicNamesGetOpenAiNames() {
    Map<String, String> merged =
        RateLimitHeaders.merge(
            Map.of(),
            Map.of(
                "anthropic-ratelimit-requests-remaining", "49",
                "anthropic-ratelimit-tokens-reset", "2026-12-03T10:00:00Z",
                "anthropic-ratelimit-input-tokens-limit", "40000"));
    assertThat(merged)
        .containsEntry("x-ratelimit-remaining-requests", "49")
        .containsEntry("x-ratelimit-reset-tokens", "2026-12-03T10:00:00Z")
        .containsEntry("llm_provider-anthropic-ratelimit-requests-remaining", "49")
        .containsEntry("llm_provider-anthropic-ratelimit-input-tokens-limit", "40000");
  }

  @Test
  void withoutRateLimitHeadersTheGatewaysOwnMapIsKept() {
    Map<String, String> own = Map.of("x-litellm-model-id", "d1");
    assertThat(RateLimitHeaders.merge(own, Map.of("content-type", "application/json")))
        .isSameAs(own);
  }
}
