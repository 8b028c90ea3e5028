package io.feathergate.core.routing;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before retrying the same deployment: LiteLLM's exponential backoff (0.5 s
 * doubling to at most 8 s, plus up to 75 % jitter), or what the upstream's {@code retry-after}
 * asked when it asked for at most a minute, and never less than {@code retry_after}.
 */
final class Backoff {
  static final long INITIAL_MILLIS = 500;
  static final long MAX_MILLIS = 8_000;
  static final double JITTER = 0.75;

  /** A longer {@code retry-after} than this fails the request instead of holding it. */
  static final long MAX_HONOURED_RETRY_AFTER_MILLIS = 60_000;

  private Backoff() {}

  /**
   * @param retry which retry this is, from 0
   * @param upstreamRetryAfterMillis what the upstream asked, or -1
   * @param minimum {@code retry_after}
   */
  static long delayMillis(
      int retry, long upstreamRetryAfterMillis, Duration minimum, RandomGenerator random) {
    long delay;
    if (upstreamRetryAfterMillis >= 0
        && upstreamRetryAfterMillis <= MAX_HONOURED_RETRY_AFTER_MILLIS) {
      delay = upstreamRetryAfterMillis;
    } else {
      long base = Math.min(MAX_MILLIS, INITIAL_MILLIS << Math.min(retry, 10));
      delay = Math.min(MAX_MILLIS, base + (long) (base * JITTER * random.nextDouble()));
    }
    return Math.max(delay, minimum.toMillis());
  }
}
