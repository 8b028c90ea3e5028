package io.feathergate.redis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Stops asking Redis after {@value #FAILURES_TO_OPEN} failures in a row, so that an outage costs a
 * request nothing: for {@link #OPEN_MILLIS} ms every call is refused at once (the caller uses this
 * replica's own counters), then one call is let through to try; its success closes the breaker.
 */
final class Breaker {
  static final int FAILURES_TO_OPEN = 3;

  /** Short: sharing resumes within a second or two of Redis coming back. */
  static final long OPEN_MILLIS = 1_000;

  private final LongSupplier clockMillis;
  private final AtomicInteger failuresInARow = new AtomicInteger();

  /** While open: when the next trial may go; 0 while closed. */
  private final AtomicLong openUntil = new AtomicLong();

  Breaker(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  /** Whether a call may go to Redis now; while open, one caller per period gets a trial. */
  boolean allows() {
    long until = openUntil.get();
    if (until == 0) {
      return true;
    }
    long now = clockMillis.getAsLong();
    return now >= until && openUntil.compareAndSet(until, now + OPEN_MILLIS);
  }

  /** Whether calls are being refused. */
  boolean open() {
    return openUntil.get() != 0;
  }

  /**
   * Writes only after failures: every request's call lands here, and a write would bounce the
   * shared cache line between cores for nothing.
   */
  void succeeded() {
    if (failuresInARow.get() != 0) {
      failuresInARow.set(0);
    }
    if (openUntil.get() != 0) {
      openUntil.set(0);
    }
  }

  /**
   * @return whether this failure opened the breaker
   */
  boolean failed() {
    if (failuresInARow.incrementAndGet() >= FAILURES_TO_OPEN) {
      long now = clockMillis.getAsLong();
      return openUntil.getAndSet(now + OPEN_MILLIS) == 0;
    }
    return false;
  }
}
