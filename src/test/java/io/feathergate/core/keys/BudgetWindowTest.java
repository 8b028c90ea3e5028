package io.feathergate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetWindowTest {
  private static final Instant WEDNESDAY_NOON = Instant.parse("2026-12-02T12:00:00Z");

  @Test
  void shortWindowsEndTheirLengthAfterTheyStart() {
    assertThat(BudgetWindow.parse("30s").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2026-12-02T12:00:30Z"));
    assertThat(BudgetWindow.parse("30m").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2026-12-02T12:30:00Z"));
    assertThat(BudgetWindow.parse("2h").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2026-12-02T14:00:00Z"));
    assertThat(BudgetWindow.parse("3d").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2026-12-05T12:00:00Z"));
  }

  @Test
  void daysWeeksAndMonthsAlignToTheCalendarInUtc() {
    assertThat(BudgetWindow.parse("1d").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
    assertThat(BudgetWindow.parse("24h").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
    assertThat(BudgetWindow.parse("7d").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
    assertThat(BudgetWindow.parse("1w").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
    assertThat(BudgetWindow.parse("30d").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(BudgetWindow.parse("1mo").endAfter(WEDNESDAY_NOON))
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    // a window that starts exactly at midnight runs a whole day
    assertThat(BudgetWindow.parse("1d").endAfter(Instant.parse("2026-12-03T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
  }

  @Test
  void anythingElseIsRefusedWithTheUnitsItTakes() {
    for (String bad : new String[] {"", "0d", "d", "1y", "1.5h", "-1d", "10 d", "1000000d"}) {
      assertThatThrownBy(() -> BudgetWindow.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("s, m, h, d, w or mo");
    }
    assertThatThrownBy(() -> BudgetWindow.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
