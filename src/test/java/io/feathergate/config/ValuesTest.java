package io.feathergate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Coercion of YAML and environment values, with messages that never quote the value. */
class ValuesTest {

  @Test
  void secondsAcceptIntegersFloatsAndNumericText() {
    assertThat(Values.seconds(30, "t")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Values.seconds(0.25, "t")).isEqualTo(Duration.ofMillis(250));
    assertThat(Values.seconds(" 1.5 ", "t")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Values.seconds("2e1", "t")).isEqualTo(Duration.ofSeconds(20));
    assertThat(Values.seconds(new BigInteger("100000000000000000000"), "t"))
        .isPositive()
        .isGreaterThan(Duration.ofDays(365 * 100));
  }

  @Test
  void secondsRefuseZeroNegativeInfiniteAndNonNumbers() {
    for (Object bad :
        new Object[] {
          0, -1, "0", Double.POSITIVE_INFINITY, Double.NaN, "5d", "NaN", "soon", true
        }) {
      assertThatThrownBy(() -> Values.seconds(bad, "router_settings.timeout"))
          .as(String.valueOf(bad))
          .isInstanceOf(InvalidValueException.class)
          .hasMessageStartingWith("must be a positive number of seconds, got ");
    }
  }

  @Test
  void wholeNumbersAcceptDigitsAsText() {
    assertThat(Values.nonNegativeInt("3", "r")).isEqualTo(3);
    assertThat(Values.nonNegativeInt(2.0, "r")).isEqualTo(2);
    assertThat(Values.nonNegativeInt(0, "r")).isZero();
    for (Object bad :
        new Object[] {-1, "1.5", 2.5, "three", 3_000_000_000L, "99999999999999999999"}) {
      assertThatThrownBy(() -> Values.nonNegativeInt(bad, "r"))
          .as(String.valueOf(bad))
          .isInstanceOf(InvalidValueException.class);
    }
  }

  @Test
  void booleansAcceptTheTextsPeopleWrite() {
    for (Object yes : new Object[] {true, "true", "True", "TRUE", "yes", "on", "1", " true "}) {
      assertThat(Values.bool(yes, "b")).as(String.valueOf(yes)).isTrue();
    }
    for (Object no : new Object[] {false, "false", "False", "no", "off", "0"}) {
      assertThat(Values.bool(no, "b")).as(String.valueOf(no)).isFalse();
    }
    assertThatThrownBy(() -> Values.bool("sk-secret-value", "b"))
        .hasMessage("must be true or false, got text");
  }
}
