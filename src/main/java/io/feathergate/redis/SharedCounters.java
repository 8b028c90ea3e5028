package io.feathergate.redis;

import io.feathergate.core.routing.DeploymentCounters;
import io.feathergate.core.routing.LocalDeploymentCounters;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The router's and the keys' counters, shared by every replica through Redis. A call under an rpm
 * or tpm limit is let in from this replica's lease of the minute's requests and tokens, taken from
 * Redis by one {@link CounterScripts#LEASE} script that compares and counts at once (a share of
 * what is left: the whole limit is never leased out, and near it each call asks); a call under a
 * limit of calls in flight by one {@link CounterScripts#ACQUIRE} script. Both run on the calling
 * thread, bounded by Redis's timeout; what need not be waited for (the end of a call, the tokens it
 * used, its outcome, a cooldown) is sent by the {@link RedisWriter}: at once where a limit decides
 * on it, else summed and sent every {@value #FLUSH_MILLIS} ms. A call without a limit never waits
 * on Redis. Each counter also counts in this process: those counts answer while Redis is away (the
 * limits are then this replica's alone), and the reads of the router's strategies come from them
 * and from the shared figures Redis returned last, so that no read waits on Redis. Cooldowns reach
 * the other replicas at once through {@link SharedEvents}.
 */
public final class SharedCounters implements DeploymentCounters {
  /** How often a replica holding calls in flight says it is alive (well within the stale age). */
  static final long HEARTBEAT_MILLIS = 5_000;

  /** How often summed tokens and outcomes are sent. */
  static final long FLUSH_MILLIS = 25;

  /**
   * A lease takes a sixteenth of what is left of a minute's requests or tokens, at most 64 requests
   * and 100,000 tokens: far from a limit one call in many asks Redis; near it every call does, so
   * that leases left unspent at the minute's end cost little of the limit.
   */
  static final String LEASE_DIVISOR = "16";

  static final String MAX_LEASED_REQUESTS = "64";
  static final String MAX_LEASED_TOKENS = "100000";

  private final RedisLink redis;
  private final RedisWriter writer;
  private final LocalDeploymentCounters local = new LocalDeploymentCounters();
  private final ConcurrentHashMap<String, SharedCounter> counters = new ConcurrentHashMap<>();

  private static final Consumer<Object> IGNORED = answer -> {};

  /** Counters with tokens or outcomes not sent yet. */
  private final Set<SharedCounter> dirty = ConcurrentHashMap.newKeySet();

  private final String keyPrefix;
  private final String replica;
  private final LongSupplier clockMillis;
  private volatile SharedEvents events;

  SharedCounters(
      RedisLink redis, RedisWriter writer, String keyPrefix, String replica, LongSupplier clock) {
    this.redis = redis;
    this.writer = writer;
    this.keyPrefix = keyPrefix;
    this.replica = replica;
    this.clockMillis = clock;
  }

  void announceCooldownsThrough(SharedEvents events) {
    this.events = events;
  }

  @Override
  public Counter counter(String id) {
    return counters.computeIfAbsent(id, SharedCounter::new);
  }

  @Override
  public boolean remote() {
    return true;
  }

  /** The shared key of a counter: braces in its id are escaped so that the hash tag stays whole. */
  String baseKey(String id) {
    String escaped = id.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
    return keyPrefix + "{" + escaped + "}";
  }

  /** A cooldown another replica started: honoured here without announcing it again. */
  void cooledElsewhere(String id, long untilMillis) {
    SharedCounter counter = counters.get(id);
    if (counter != null) {
      counter.local.coolDownUntil(untilMillis, clockMillis.getAsLong());
    }
  }

  /** Reads the cooldowns running now, after the subscription was away and may have missed some. */
  void catchUpCooldowns() {
    for (SharedCounter counter : counters.values()) {
      String value = redis.call(jedis -> jedis.get(counter.base + ":cooldown"));
      if (value != null) {
        counter.local.coolDownUntil(Long.parseLong(value), clockMillis.getAsLong());
      }
    }
  }

  /**
   * Sends the tokens and outcomes summed since the last flush, one script a counter: a busy
   * deployment costs Redis a few calls a second rather than two a request.
   */
  void flush() {
    for (SharedCounter counter : dirty) {
      dirty.remove(counter);
      counter.queued.set(false); // before taking what is pending: what comes after queues again
      counter.flush();
    }
  }

  /** Says, for each counter holding calls in flight here, that this replica is alive. */
  void heartbeat() {
    for (SharedCounter counter : counters.values()) {
      int held = counter.sharedInFlight.get();
      if (held > 0) {
        writer.call(
            CounterScripts.TOUCH, counter.base, List.of(replica, Integer.toString(held)), IGNORED);
      }
    }
  }

  /** Ends this replica's calls in Redis (a clean shutdown), so that none is left counted. */
  void releaseAll() {
    for (SharedCounter counter : counters.values()) {
      if (counter.sharedInFlight.getAndSet(0) > 0) {
        writer.call(CounterScripts.TOUCH, counter.base, List.of(replica, "0"), IGNORED);
      }
    }
  }

  private final class SharedCounter implements Counter {
    final String id;
    final String base;
    final Counter local;

    /** Calls this replica counted in flight in Redis and has not ended yet. */
    final AtomicInteger sharedInFlight = new AtomicInteger();

    /** Whether it is in {@code dirty}: set once a flush period, not once a request. */
    final AtomicBoolean queued = new AtomicBoolean();

    /** Tokens and outcomes not sent yet, summed until the next {@link #flush}. */
    private final AtomicLong pendingTokens = new AtomicLong();

    private final AtomicLong pendingOutcomes = new AtomicLong();

    /** Whether a tpm limit was ever asked of it: then its tokens are sent at once. */
    private volatile boolean tokenLimited;

    /** This replica's lease of the requests and tokens of {@link #leaseMinute} (Redis's time). */
    private long leaseMinute = Long.MIN_VALUE;

    private long leasedRequests;
    private long leasedTokens;

    /** The shared figures as Redis returned them last, of {@link #sharedMinute} (Redis's time). */
    private volatile long sharedMinute = Long.MIN_VALUE;

    private volatile long sharedRequests;
    private volatile long sharedTokens;
    private volatile int sharedCallsInFlight;
    private volatile long outcomesMinute = Long.MIN_VALUE;
    private volatile long sharedOutcomes;

    SharedCounter(String id) {
      this.id = id;
      this.base = baseKey(id);
      this.local = SharedCounters.this.local.counter(id);
    }

    private void queueForFlush() {
      if (!queued.get() && queued.compareAndSet(false, true)) {
        dirty.add(this);
      }
    }

    @Override
    public int inFlight() {
      return Math.max(local.inFlight(), sharedCallsInFlight);
    }

    @Override
    public long requests(long minute) {
      long own = local.requests(minute);
      return sharedMinute == minute ? Math.max(own, sharedRequests) : own;
    }

    @Override
    public long tokens(long minute) {
      long own = local.tokens(minute);
      return sharedMinute == minute ? Math.max(own, sharedTokens) : own;
    }

    @Override
    public boolean tryAcquire(
        long minute, long rpm, int maxParallel, long tpm, long reserveTokens) {
      if (rpm <= 0 && maxParallel <= 0 && tpm <= 0) {
        // nothing to share a decision about: counted here, its tokens reach Redis when it ends
        return local.tryAcquire(minute, 0, 0, 0, reserveTokens);
      }
      if (tpm > 0) {
        tokenLimited = true;
      }
      long need = tpm > 0 ? Math.max(1, reserveTokens) : 0;
      if (maxParallel <= 0 && spendLease(minute, rpm > 0, need)) {
        local.tryAcquire(minute, 0, 0, 0, reserveTokens);
        return true;
      }
      try {
        return maxParallel > 0
            ? acquireInRedis(minute, rpm, maxParallel, tpm, reserveTokens)
            : leaseFromRedis(minute, rpm, tpm, reserveTokens, need);
      } catch (RedisLink.Unavailable e) {
        // Redis away or slow: this replica decides alone until it returns
        return local.tryAcquire(minute, rpm, maxParallel, tpm, reserveTokens);
      }
    }

    /** Takes one request and {@code need} tokens from this replica's lease of the minute. */
    private synchronized boolean spendLease(long minute, boolean countRequests, long need) {
      if (leaseMinute != minute
          || (countRequests && leasedRequests < 1)
          || (need > 0 && leasedTokens < need)) {
        return false;
      }
      if (countRequests) {
        leasedRequests--;
      }
      leasedTokens -= need;
      return true;
    }

    /** A new lease of the minute's requests and tokens, this call's share taken from it. */
    private boolean leaseFromRedis(long minute, long rpm, long tpm, long reserveTokens, long need) {
      List<?> answer =
          (List<?>)
              redis.eval(
                  CounterScripts.LEASE,
                  base,
                  List.of(
                      Long.toString(rpm),
                      Long.toString(tpm),
                      Long.toString(need),
                      LEASE_DIVISOR,
                      MAX_LEASED_REQUESTS,
                      MAX_LEASED_TOKENS));
      long refused = (Long) answer.get(0);
      sharedRequests = (Long) answer.get(3);
      sharedTokens = (Long) answer.get(4);
      sharedMinute = (Long) answer.get(5);
      if (refused != 0) {
        return false;
      }
      synchronized (this) {
        // what is left of an older lease of the minute stays counted in Redis: spent first
        if (leaseMinute != sharedMinute) {
          leasedRequests = 0;
          leasedTokens = 0;
        }
        leaseMinute = sharedMinute;
        leasedRequests += (Long) answer.get(1) - (rpm > 0 ? 1 : 0);
        leasedTokens += (Long) answer.get(2) - need;
      }
      local.tryAcquire(minute, 0, 0, 0, reserveTokens);
      return true;
    }

    /** Counts the call, its tokens and its place in flight in Redis, or refuses it there. */
    private boolean acquireInRedis(
        long minute, long rpm, int maxParallel, long tpm, long reserveTokens) {
      List<?> answer =
          (List<?>)
              redis.eval(
                  CounterScripts.ACQUIRE,
                  base,
                  List.of(
                      Long.toString(rpm),
                      Integer.toString(maxParallel),
                      Long.toString(tpm),
                      Long.toString(reserveTokens),
                      replica));
      long refused = (Long) answer.get(0);
      sharedRequests = (Long) answer.get(1);
      sharedTokens = (Long) answer.get(2);
      sharedCallsInFlight = (int) (long) (Long) answer.get(3);
      sharedMinute = (Long) answer.get(4);
      if (refused != 0) {
        return false;
      }
      sharedInFlight.incrementAndGet();
      // counted here too: the fallback's figures, and this replica's calls in flight
      local.tryAcquire(minute, 0, 0, 0, reserveTokens);
      return true;
    }

    @Override
    public void release() {
      local.release();
      if (sharedInFlight.getAndUpdate(held -> held > 0 ? held - 1 : 0) > 0) {
        writer.call(
            CounterScripts.RELEASE,
            base,
            List.of(replica),
            left -> sharedCallsInFlight = (int) (long) (Long) left);
      }
    }

    @Override
    public void addTokens(long minute, long tokens) {
      local.addTokens(minute, tokens);
      if (tokens == 0) {
        return;
      }
      if (tokenLimited) {
        // a tpm limit decides on these: the others see them as soon as Redis has them
        sendTokens(tokens);
      } else {
        // only the router's picks read them: sent with the next flush, summed
        pendingTokens.addAndGet(tokens);
        queueForFlush();
      }
    }

    private void sendTokens(long tokens) {
      writer.call(
          CounterScripts.ADD_TOKENS,
          base,
          List.of(Long.toString(tokens)),
          answer -> {
            List<?> counts = (List<?>) answer;
            sharedTokens = (Long) counts.get(0);
            sharedMinute = (Long) counts.get(1);
          });
    }

    /** Queues what was summed since the last flush. */
    void flush() {
      long tokens = pendingTokens.getAndSet(0);
      if (tokens != 0) {
        sendTokens(tokens);
      }
      long outcomes = pendingOutcomes.getAndSet(0);
      if (outcomes != 0) {
        writer.call(
            CounterScripts.OUTCOME,
            base,
            List.of(
                Integer.toString(DeploymentCounters.failures(outcomes)),
                Integer.toString(DeploymentCounters.calls(outcomes))),
            answer -> {
              List<?> counts = (List<?>) answer;
              sharedOutcomes = (Long) counts.get(0) << 32 | (Long) counts.get(1);
              outcomesMinute = (Long) counts.get(2);
            });
      }
    }

    @Override
    public long recordOutcome(long minute, boolean failed) {
      long own = local.recordOutcome(minute, failed);
      // failures in the high half, calls in the low, as the counts are kept
      pendingOutcomes.addAndGet(failed ? (1L << 32) + 1 : 1);
      queueForFlush();
      if (outcomesMinute != minute) {
        return own;
      }
      // every replica's failures as Redis counted them last, and at least this replica's own
      long shared = sharedOutcomes;
      int failures =
          Math.max(DeploymentCounters.failures(own), DeploymentCounters.failures(shared));
      int calls = Math.max(DeploymentCounters.calls(own), DeploymentCounters.calls(shared));
      return (long) failures << 32 | calls;
    }

    @Override
    public long cooldownUntil() {
      return local.cooldownUntil();
    }

    @Override
    public boolean coolDownUntil(long epochMillis, long nowMillis) {
      long before = local.cooldownUntil();
      boolean started = local.coolDownUntil(epochMillis, nowMillis);
      SharedEvents announcer = events;
      if (local.cooldownUntil() != before && announcer != null) {
        writer.call(
            CounterScripts.COOL_DOWN,
            base,
            List.of(
                Long.toString(epochMillis),
                announcer.channel(),
                SharedEvents.cooldownMessage(id, epochMillis)),
            IGNORED);
      }
      return started;
    }
  }
}
