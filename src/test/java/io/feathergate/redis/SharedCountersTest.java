package io.feathergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.RedisSettings;
import io.feathergate.core.Secret;
import io.feathergate.core.routing.DeploymentCounters;
import io.feathergate.e2e.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' counters (two {@link SharedState}s, as two gateways would hold them) on one real
 * Redis: limits hold across both, calls in flight end, cooldowns travel, and Redis going away or
 * forgetting its scripts costs nothing but the sharing.
 */
class SharedCountersTest {
  private RedisServer redis;
  private SharedState first;
  private SharedState second;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    first = SharedState.start(settings(redis.port(), null), Clock.systemUTC());
    second = SharedState.start(settings(redis.port(), null), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    first.close();
    second.close();
    redis.close();
  }

  static RedisSettings settings(int port, Secret password) {
    return new RedisSettings(
        "127.0.0.1",
        port,
        null,
        password,
        false,
        0,
        null,
        List.of(),
        "test",
        Duration.ofMillis(200));
  }

  private static long minute() {
    return System.currentTimeMillis() / 60_000;
  }

  @Test
  void aRequestLimitHoldsAcrossReplicasUnderConcurrency() throws Exception {
    awayFromTheMinutesEnd();
    DeploymentCounters.Counter a = first.counters().counter("group-a");
    DeploymentCounters.Counter b = second.counters().counter("group-a");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> admitted = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        DeploymentCounters.Counter counter = t % 2 == 0 ? a : b;
        Callable<Integer> task =
            () -> {
              int passed = 0;
              for (int i = 0; i < 100; i++) {
                if (counter.tryAcquire(minute(), 150, 0)) {
                  passed++;
                  counter.release();
                }
              }
              return passed;
            };
        admitted.add(threads.submit(task));
      }
      int total = 0;
      for (Future<Integer> f : admitted) {
        total += f.get();
      }
      assertThat(total).as("400 tries on two replicas under one rpm of 150").isEqualTo(150);
      assertThat(a.requests(minute())).isGreaterThanOrEqualTo(150);
      assertThat(redis.command("GET test:feathergate:{group-a}:rpm:" + minute())).isEqualTo("150");
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void farFromALimitAReplicaSpendsALeaseWithoutAskingRedis() throws Exception {
    awayFromTheMinutesEnd();
    DeploymentCounters.Counter a = first.counters().counter("group-lease");
    assertThat(a.tryAcquire(minute(), 800, 0)).isTrue();
    // a sixteenth of what is left was leased, one of them spent
    assertThat(redis.command("GET test:feathergate:{group-lease}:rpm:" + minute())).isEqualTo("50");
    for (int i = 0; i < 49; i++) {
      assertThat(a.tryAcquire(minute(), 800, 0)).isTrue();
    }
    assertThat(redis.command("GET test:feathergate:{group-lease}:rpm:" + minute()))
        .as("the lease spent without Redis")
        .isEqualTo("50");
    assertThat(a.tryAcquire(minute(), 800, 0)).isTrue();
    assertThat(redis.command("GET test:feathergate:{group-lease}:rpm:" + minute()))
        .as("a new lease: a sixteenth of the 750 left")
        .isEqualTo("96");
  }

  @Test
  void callsInFlightAreCountedAcrossReplicasAndEnd() throws Exception {
    DeploymentCounters.Counter a = first.counters().counter("key:abc");
    DeploymentCounters.Counter b = second.counters().counter("key:abc");
    assertThat(a.tryAcquire(minute(), 0, 2)).isTrue();
    assertThat(b.tryAcquire(minute(), 0, 2)).isTrue();
    assertThat(a.tryAcquire(minute(), 0, 2)).as("two in flight on two replicas").isFalse();
    assertThat(b.inFlight()).isEqualTo(2);
    a.release();
    awaitTrue(() -> b.tryAcquire(minute(), 0, 2), "the end of a call on the other replica");
  }

  @Test
  void aCrashedReplicasCallsInFlightStopCountingOnceStale() throws Exception {
    // a replica that died holding 5 calls, its last word long ago
    redis.command("HSET test:feathergate:{key:dead}:parallel gone-replica 5:1000");
    DeploymentCounters.Counter a = first.counters().counter("key:dead");
    assertThat(a.tryAcquire(minute(), 0, 1)).isTrue();
    assertThat(redis.command("HEXISTS test:feathergate:{key:dead}:parallel gone-replica"))
        .isEqualTo(":0");
  }

  @Test
  void tokensReservedOnOneReplicaCountOnTheOtherUntilSettled() throws Exception {
    awayFromTheMinutesEnd();
    DeploymentCounters.Counter a = first.counters().counter("key:tokens");
    DeploymentCounters.Counter b = second.counters().counter("key:tokens");
    long minute = minute();
    assertThat(a.tryAcquire(minute, 0, 0, 100, 100)).isTrue();
    assertThat(b.tryAcquire(minute, 0, 0, 100, 10))
        .as("the first call's reservation fills the limit")
        .isFalse();
    assertThat(b.tokens(minute)).isEqualTo(100);
    // the first call used 40 of its 100: 60 are given back
    a.release();
    a.addTokens(minute, 40 - 100);
    awaitTrue(() -> b.tryAcquire(minute, 0, 0, 100, 10), "the settled tokens on the other replica");
    assertThat(redis.command("GET test:feathergate:{key:tokens}:tpm:" + minute)).isEqualTo("50");
  }

  @Test
  void aCooldownOnOneReplicaIsHonouredByTheOther() throws Exception {
    DeploymentCounters.Counter a = first.counters().counter("deployment-1");
    DeploymentCounters.Counter b = second.counters().counter("deployment-1");
    long now = System.currentTimeMillis();
    assertThat(b.cooldownUntil()).isZero();
    assertThat(a.coolDownUntil(now + 30_000, now)).isTrue();
    awaitTrue(() -> b.cooldownUntil() == now + 30_000, "the cooldown on the other replica");
    // an earlier end does not shorten it
    assertThat(b.coolDownUntil(now + 5_000, now)).isFalse();
    assertThat(Long.parseLong(redis.command("GET test:feathergate:{deployment-1}:cooldown")))
        .isEqualTo(now + 30_000);
  }

  @Test
  void failuresAreCountedAcrossReplicas() throws Exception {
    awayFromTheMinutesEnd();
    DeploymentCounters.Counter a = first.counters().counter("deployment-2");
    DeploymentCounters.Counter b = second.counters().counter("deployment-2");
    long minute = minute();
    a.recordOutcome(minute, true);
    a.recordOutcome(minute, true);
    awaitTrue(
        () ->
            "2"
                .equals(
                    redis.command(
                        "HGET test:feathergate:{deployment-2}:outcomes:" + minute + " failures")),
        "the failures in Redis");
    b.recordOutcome(minute, false);
    awaitTrue(
        () -> DeploymentCounters.failures(b.recordOutcome(minute, false)) == 2,
        "the other replica's failures seen here");
  }

  @Test
  void withRedisGoneEachReplicaCountsAloneAndSharingResumesWhenItReturns() throws Exception {
    // calls in flight are counted in Redis call by call (no lease)
    DeploymentCounters.Counter a = first.counters().counter("group-b");
    assertThat(a.tryAcquire(minute(), 0, 1_000)).isTrue();
    a.release();
    redis.kill();
    // every call answers, from this replica's own counts; the breaker then skips Redis
    for (int i = 0; i < 20; i++) {
      assertThat(a.tryAcquire(minute(), 0, 1_000)).isTrue();
      a.release();
    }
    assertThat(first.up()).isFalse();
    assertThat(first.problem()).isNotBlank();
    assertThat(first.failures()).isGreaterThanOrEqualTo(20);
    redis.begin();
    awaitTrue(
        () -> {
          if (a.tryAcquire(minute(), 0, 1_000)) {
            a.release();
          }
          return first.up();
        },
        "Redis in use again");
    assertThat(redis.command("GET test:feathergate:{group-b}:rpm:" + minute())).isNotEqualTo("$-1");
  }

  @Test
  void scriptsForgottenByRedisAreSentAgain() throws Exception {
    DeploymentCounters.Counter a = first.counters().counter("group-c");
    assertThat(a.tryAcquire(minute(), 10, 0)).isTrue();
    assertThat(redis.command("SCRIPT FLUSH")).isEqualTo("+OK");
    assertThat(a.tryAcquire(minute(), 10, 0)).isTrue();
    assertThat(first.up()).isTrue();
    assertThat(first.failures()).isZero();
  }

  @Test
  void bracesInAnIdCannotLeaveItsHashTag() {
    assertThat(((SharedCounters) first.counters()).baseKey("team:{x}%"))
        .isEqualTo("test:feathergate:{team:%7Bx%7D%25}");
  }

  /** A minute's counts start from zero: a test that counts does not straddle the minute's end. */
  private static void awayFromTheMinutesEnd() throws InterruptedException {
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (intoMinute > 50_000) {
      Thread.sleep(60_000 - intoMinute + 100);
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void awaitTrue(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within 5 s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
