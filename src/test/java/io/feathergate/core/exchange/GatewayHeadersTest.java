package io.feathergate.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayHeadersTest {
  @Test
  void durationsAreMillisecondsWithThreeDecimals() {
    assertThat(GatewayHeaders.millis(12_345_678)).isEqualTo("12.345");
    assertThat(GatewayHeaders.millis(1_005_000)).isEqualTo("1.005");
    assertThat(GatewayHeaders.millis(40_000)).isEqualTo("0.040");
    assertThat(GatewayHeaders.millis(-5)).isEqualTo("0.000");
    assertThat(GatewayHeaders.withDurations(Map.of("a", "b"), 2_000_000, -1))
        .containsEntry("a", "b")
        .containsEntry("x-litellm-response-duration-ms", "2.000")
        .containsEntry("x-litellm-overhead-duration-ms", "0.000");
  }
}
