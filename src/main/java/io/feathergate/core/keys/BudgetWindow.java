package io.feathergate.core.keys;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code budget_duration} ({@code 30s}, {@code 30m}, {@code 30h}, {@code 30d}, {@code 1w}, {@code
 * 1mo}) and when a window that starts at a given time ends. Windows of a day, a week and a month
 * are aligned to the calendar in UTC, as LiteLLM's documentation describes: {@code 1d} (and {@code
 * 24h}) ends at the next midnight, {@code 7d} (and {@code 1w}) at the next Monday's midnight,
 * {@code 30d} (and {@code 1mo}) on the first of the next month. Every other duration ends that long
 * after it started.
 */
public record BudgetWindow(String text, Duration length, Alignment alignment) {
  private static final Pattern SYNTAX = Pattern.compile("(\\d{1,6})(s|m|h|d|w|mo)");

  /** How a window lines up with the calendar. */
  public enum Alignment {
    NONE,
    DAY,
    WEEK,
    MONTH
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not a duration LiteLLM accepts
   */
  public static BudgetWindow parse(String text) {
    Matcher m = SYNTAX.matcher(text == null ? "" : text.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(
          "must be a number and a unit: s, m, h, d, w or mo (for example 30s, 1h, 1d, 1mo)");
    }
    long n = Long.parseLong(m.group(1));
    Duration length =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          case "w" -> Duration.ofDays(7 * n);
          default -> Duration.ofDays(30 * n);
        };
    Alignment alignment;
    if (m.group(2).equals("mo") && n == 1 || length.equals(Duration.ofDays(30))) {
      alignment = Alignment.MONTH;
    } else if (length.equals(Duration.ofDays(7))) {
      alignment = Alignment.WEEK;
    } else if (length.equals(Duration.ofDays(1))) {
      alignment = Alignment.DAY;
    } else {
      alignment = Alignment.NONE;
    }
    return new BudgetWindow(m.group(0), length, alignment);
  }

  /** When a window that is current at {@code now} ends. */
  public Instant endAfter(Instant now) {
    LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
    return switch (alignment) {
      case DAY -> today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      case WEEK ->
          today
              .with(TemporalAdjusters.next(DayOfWeek.MONDAY))
              .atStartOfDay()
              .toInstant(ZoneOffset.UTC);
      case MONTH ->
          today
              .with(TemporalAdjusters.firstDayOfNextMonth())
              .atStartOfDay()
              .toInstant(ZoneOffset.UTC);
      case NONE -> now.plus(length);
    };
  }
}
