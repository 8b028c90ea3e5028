package io.feathergate.core.routing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's counts in this process: fields of one object per deployment, and of one small object
 * per deployment and minute holding that minute's counts, swapped in by compare-and-set when the
 * minute turns. Plain fields updated through {@link VarHandle}s rather than atomic objects: a pick
 * reads the counts of every deployment of a group, and each object less to reach is a cache miss
 * less. No lock, and no allocation on the request path but that one per minute.
 */
public final class LocalDeploymentCounters implements DeploymentCounters {
  private static final VarHandle IN_FLIGHT;
  private static final VarHandle CURRENT;
  private static final VarHandle COOLDOWN_UNTIL;
  private static final VarHandle REQUESTS;
  private static final VarHandle TOKENS;
  private static final VarHandle OUTCOMES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      IN_FLIGHT = lookup.findVarHandle(LocalCounter.class, "inFlight", int.class);
      CURRENT = lookup.findVarHandle(LocalCounter.class, "current", Minute.class);
      COOLDOWN_UNTIL = lookup.findVarHandle(LocalCounter.class, "cooldownUntil", long.class);
      REQUESTS = lookup.findVarHandle(Minute.class, "requests", long.class);
      TOKENS = lookup.findVarHandle(Minute.class, "tokens", long.class);
      OUTCOMES = lookup.findVarHandle(Minute.class, "outcomes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentHashMap<String, LocalCounter> counters = new ConcurrentHashMap<>();

  @Override
  public Counter counter(String id) {
    return counters.computeIfAbsent(id, unused -> new LocalCounter());
  }

  private static final class Minute {
    final long minute;
    volatile long requests;
    volatile long tokens;

    /** Failures in the high 32 bits, calls in the low: one atomic add counts both at once. */
    @SuppressWarnings("UnusedVariable") // through OUTCOMES
    volatile long outcomes;

    Minute(long minute) {
      this.minute = minute;
    }
  }

  private static final class LocalCounter implements Counter {
    private static final Minute NONE = new Minute(Long.MIN_VALUE);

    private volatile int inFlight;
    private volatile Minute current = NONE;
    private volatile long cooldownUntil;

    /** The counts of {@code minute}, starting them when it is new; null for a past minute. */
    private Minute minute(long minute) {
      while (true) {
        Minute seen = current;
        if (seen.minute >= minute) {
          return seen.minute == minute ? seen : null;
        }
        Minute fresh = new Minute(minute);
        if (CURRENT.compareAndSet(this, seen, fresh)) {
          return fresh;
        }
      }
    }

    /** Reads without starting a minute: a minute nobody counted in yet has counted nothing. */
    private Minute peek(long minute) {
      Minute seen = current;
      return seen.minute == minute ? seen : null;
    }

    @Override
    public int inFlight() {
      return inFlight;
    }

    @Override
    public long requests(long minute) {
      Minute counts = peek(minute);
      return counts == null ? 0 : counts.requests;
    }

    @Override
    public long tokens(long minute) {
      Minute counts = peek(minute);
      return counts == null ? 0 : counts.tokens;
    }

    @Override
    public boolean tryAcquire(
        long minute, long rpm, int maxParallel, long tpm, long reserveTokens) {
      if (tpm > 0 && tokens(minute) >= tpm) {
        return false;
      }
      if (maxParallel > 0) {
        int now;
        do {
          now = inFlight;
          if (now >= maxParallel) {
            return false;
          }
        } while (!IN_FLIGHT.compareAndSet(this, now, now + 1));
      } else {
        IN_FLIGHT.getAndAdd(this, 1);
      }
      Minute counts = minute(minute);
      if (counts == null) {
        return true; // a clock that stepped back a minute: count nothing rather than fail
      }
      if (rpm > 0) {
        long taken;
        do {
          taken = counts.requests;
          if (taken >= rpm) {
            IN_FLIGHT.getAndAdd(this, -1);
            return false;
          }
        } while (!REQUESTS.compareAndSet(counts, taken, taken + 1));
      } else {
        REQUESTS.getAndAdd(counts, 1L);
      }
      if (reserveTokens > 0) {
        TOKENS.getAndAdd(counts, reserveTokens);
      }
      return true;
    }

    @Override
    public void release() {
      IN_FLIGHT.getAndAdd(this, -1);
    }

    @Override
    public void addTokens(long minute, long tokens) {
      Minute counts = minute(minute);
      if (counts == null || tokens == 0) {
        return;
      }
      if (tokens > 0) {
        TOKENS.getAndAdd(counts, tokens);
        return;
      }
      // a reservation given back: never below zero
      long before;
      do {
        before = counts.tokens;
      } while (!TOKENS.compareAndSet(counts, before, Math.max(0, before + tokens)));
    }

    @Override
    public long recordOutcome(long minute, boolean failed) {
      Minute counts = minute(minute);
      if (counts == null) {
        return 0;
      }
      long add = failed ? (1L << 32) + 1 : 1;
      return (long) OUTCOMES.getAndAdd(counts, add) + add;
    }

    @Override
    public long cooldownUntil() {
      return cooldownUntil;
    }

    @Override
    public boolean coolDownUntil(long epochMillis, long nowMillis) {
      while (true) {
        long until = cooldownUntil;
        if (until >= epochMillis) {
          return false;
        }
        if (COOLDOWN_UNTIL.compareAndSet(this, until, epochMillis)) {
          return until <= nowMillis;
        }
      }
    }
  }
}
