package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The router's counts in this process: atomics per deployment, and one small object per deployment
 * and minute holding that minute's counts, swapped in by compare-and-set when the minute turns. No
 * lock, and no allocation on the request path but that one per minute.
 */
public final class LocalDeploymentCounters implements DeploymentCounters {
  private final ConcurrentHashMap<String, LocalCounter> counters = new ConcurrentHashMap<>();

  @Override
  public Counter counter(Deployment deployment) {
    return counters.computeIfAbsent(deployment.id(), id -> new LocalCounter());
  }

  private static final class Minute {
    final long minute;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong tokens = new AtomicLong();

    /** Failures in the high 32 bits, calls in the low: one atomic add counts both at once. */
    final AtomicLong outcomes = new AtomicLong();

    Minute(long minute) {
      this.minute = minute;
    }
  }

  private static final class LocalCounter implements Counter {
    private static final Minute NONE = new Minute(Long.MIN_VALUE);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<Minute> current = new AtomicReference<>(NONE);
    private final AtomicLong cooldownUntil = new AtomicLong();

    /** The counts of {@code minute}, starting them when it is new; an older minute reads as 0. */
    private Minute minute(long minute) {
      while (true) {
        Minute seen = current.get();
        if (seen.minute >= minute) {
          return seen.minute == minute ? seen : null;
        }
        Minute fresh = new Minute(minute);
        if (current.compareAndSet(seen, fresh)) {
          return fresh;
        }
      }
    }

    /** Reads without starting a minute: a minute nobody counted in yet has counted nothing. */
    private Minute peek(long minute) {
      Minute seen = current.get();
      return seen.minute == minute ? seen : null;
    }

    @Override
    public int inFlight() {
      return inFlight.get();
    }

    @Override
    public long requests(long minute) {
      Minute counts = peek(minute);
      return counts == null ? 0 : counts.requests.get();
    }

    @Override
    public long tokens(long minute) {
      Minute counts = peek(minute);
      return counts == null ? 0 : counts.tokens.get();
    }

    @Override
    public boolean tryAcquire(long minute, long rpm, int maxParallel) {
      if (maxParallel > 0) {
        int now;
        do {
          now = inFlight.get();
          if (now >= maxParallel) {
            return false;
          }
        } while (!inFlight.compareAndSet(now, now + 1));
      } else {
        inFlight.incrementAndGet();
      }
      Minute counts = minute(minute);
      if (counts == null) {
        return true; // a clock that stepped back a minute: count nothing rather than fail
      }
      if (rpm > 0) {
        long taken;
        do {
          taken = counts.requests.get();
          if (taken >= rpm) {
            inFlight.decrementAndGet();
            return false;
          }
        } while (!counts.requests.compareAndSet(taken, taken + 1));
      } else {
        counts.requests.incrementAndGet();
      }
      return true;
    }

    @Override
    public void release() {
      inFlight.decrementAndGet();
    }

    @Override
    public void addTokens(long minute, long tokens) {
      Minute counts = minute(minute);
      if (counts != null && tokens > 0) {
        counts.tokens.addAndGet(tokens);
      }
    }

    @Override
    public long recordOutcome(long minute, boolean failed) {
      Minute counts = minute(minute);
      if (counts == null) {
        return 0;
      }
      return counts.outcomes.addAndGet(failed ? (1L << 32) + 1 : 1);
    }

    @Override
    public long cooldownUntil() {
      return cooldownUntil.get();
    }

    @Override
    public boolean coolDownUntil(long epochMillis, long nowMillis) {
      while (true) {
        long until = cooldownUntil.get();
        if (until >= epochMillis) {
          return false;
        }
        if (cooldownUntil.compareAndSet(until, epochMillis)) {
          return until <= nowMillis;
        }
      }
    }
  }
}
