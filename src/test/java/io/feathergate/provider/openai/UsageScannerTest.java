package io.feathergate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.spi.TokenUsage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Token counts read from what the client gets, without parsing the rest. */
class UsageScannerTest {

  private static TokenUsage find(String text) {
    return UsageScanner.find(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheUsageOfAWholeCompletion() {
    assertThat(
            find(
                "{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":19,"
                    + "\"completion_tokens\":10,\"total_tokens\":29}}"))
        .isEqualTo(new TokenUsage(19, 10, 29));
  }

  @Test
  void toleratesPrettyPrintedJsonAndNestedDetails() {
    assertThat(
            find(
                "{\n  \"usage\" : {\n \"prompt_tokens\": 3, \"completion_tokens\": 4,"
                    + " \"total_tokens\": 7, \"completion_tokens_details\": {\"reasoning_tokens\":"
                    + " 0}\n  }\n}"))
        .isEqualTo(new TokenUsage(3, 4, 7));
  }

  @Test
  void readsTheUsageChunkOfAStream() {
    assertThat(
            find(
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":30,"
                    + "\"total_tokens\":44}}\n\n"))
        .isEqualTo(new TokenUsage(14, 30, 44));
  }

  @Test
  void aMissingTotalIsTheSumOfTheParts() {
    assertThat(find("{\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":5}}"))
        .isEqualTo(new TokenUsage(2, 5, 7));
  }

  @Test
  void nullUsageTextThatMentionsUsageAndBrokenJsonGiveNothing() {
    assertThat(find("data: {\"choices\":[{\"delta\":{}}],\"usage\":null}\n\n")).isNull();
    assertThat(find("{\"content\":\"the \\\"usage\\\":{ key\"}")).isNull();
    assertThat(find("{\"usage\":{\"prompt_tokens\":")).isNull();
    assertThat(find("{\"usage\" {}}")).isNull();
    assertThat(find("")).isNull();
  }
}
