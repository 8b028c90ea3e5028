package io.feathergate.redis;

import io.feathergate.core.keys.SharedSpend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Budgets' spend shared by the replicas: one float per key, team or user and budget window, {@code
 * …{<scope>}:spend:<window end in ms, or 0>}, started from the spend of the first replica that
 * writes it and added to by each settled call ({@code INCRBYFLOAT}); it expires a day after its
 * window. Written and read by the {@link RedisWriter}: no request waits for it.
 */
final class SharedBudgets implements SharedSpend {
  private static final Duration KEPT_AFTER_WINDOW = Duration.ofDays(1);
  private static final Duration KEPT_WITHOUT_WINDOW = Duration.ofDays(30);

  /** ARGV: the window, the spend to start from, the cost, the expiry in ms. Returns the total. */
  static final Script ADD_SPEND =
      Script.of(
          """
          local sk = KEYS[1] .. ':spend:' .. ARGV[1]
          if redis.call('EXISTS', sk) == 0 then redis.call('SET', sk, ARGV[2]) end
          local total = redis.call('INCRBYFLOAT', sk, ARGV[3])
          redis.call('PEXPIRE', sk, ARGV[4])
          return total
          """);

  /** ARGV: the window. Returns the total, or nil before any replica wrote it. */
  static final Script READ_SPEND =
      Script.of("return redis.call('GET', KEYS[1] .. ':spend:' .. ARGV[1])");

  private final RedisWriter writer;
  private final SharedCounters keys;

  SharedBudgets(RedisWriter writer, SharedCounters keys) {
    this.writer = writer;
    this.keys = keys;
  }

  @Override
  public void add(
      String scope, Instant windowEnd, double known, double cost, DoubleConsumer total) {
    long now = System.currentTimeMillis();
    long expiry =
        windowEnd == null
            ? KEPT_WITHOUT_WINDOW.toMillis()
            : Math.max(0, windowEnd.toEpochMilli() - now) + KEPT_AFTER_WINDOW.toMillis();
    writer.call(
        ADD_SPEND,
        keys.baseKey(scope),
        List.of(
            window(windowEnd),
            Double.toString(known),
            Double.toString(cost),
            Long.toString(expiry)),
        answer -> total.accept(parse(answer)));
  }

  @Override
  public void read(String scope, Instant windowEnd, DoubleConsumer total) {
    writer.call(
        READ_SPEND,
        keys.baseKey(scope),
        List.of(window(windowEnd)),
        answer -> {
          if (answer != null) {
            total.accept(parse(answer));
          }
        });
  }

  private static String window(Instant windowEnd) {
    return windowEnd == null ? "0" : Long.toString(windowEnd.toEpochMilli());
  }

  private static double parse(Object answer) {
    return Double.parseDouble(
        answer instanceof byte[] bytes
            ? new String(bytes, StandardCharsets.US_ASCII)
            : String.valueOf(answer));
  }
}
