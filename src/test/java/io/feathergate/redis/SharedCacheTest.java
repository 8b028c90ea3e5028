package io.feathergate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.cache.CacheStore;
import io.feathergate.e2e.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The response cache's entries in a real Redis: written in the background, bounded, read back. */
class SharedCacheTest {
  private RedisServer redis;
  private SharedState state;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    state = SharedState.start(SharedCountersTest.settings(redis.port(), null), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    state.close();
    redis.close();
  }

  private static byte[] awaitEntry(CacheStore cache, String key) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    byte[] entry = cache.get(key);
    while (entry == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
      entry = cache.get(key);
    }
    return entry;
  }

  @Test
  void anEntryIsWrittenUnderItsKeyWithItsLifeAndReadAndDeleted() throws Exception {
    CacheStore cache = state.cache();
    cache.put("ns:abc", new byte[] {1, 2, 3}, Duration.ofSeconds(30));
    assertThat(awaitEntry(cache, "ns:abc")).containsExactly(1, 2, 3);
    // LiteLLM's layout: the key as it is, with its lifetime
    assertThat(Long.parseLong(redis.command("PTTL ns:abc").substring(1))).isBetween(1L, 30_000L);
    cache.ping();
    assertThat(cache.delete(List.of("ns:abc", "ns:none"))).isEqualTo(1);
    assertThat(cache.get("ns:abc")).isNull();
    assertThat(cache.type()).isEqualTo("redis");
  }

  @Test
  void entriesWaitingForTheWriterAreBoundedInBytes() throws Exception {
    RedisLink link =
        new RedisLink(SharedCountersTest.settings(redis.port(), null), Clock.systemUTC());
    RedisWriter writer = new RedisWriter(link);
    CountDownLatch busy = new CountDownLatch(1);
    try {
      SharedCache cache = new SharedCache(link, writer);
      // the writer busy with something else while the entries come
      assertThat(writer.submit(() -> awaitQuietly(busy))).isTrue();
      byte[] large = new byte[4 * 1024 * 1024];
      for (int i = 0; i < 10; i++) {
        cache.put("big:" + i, large, Duration.ofSeconds(30));
      }
      // 40 MiB offered: the two entries beyond 32 MiB waiting are dropped and counted
      assertThat(cache.droppedWrites()).isEqualTo(2);
      busy.countDown();
      assertThat(awaitEntry(cache, "big:7")).hasSize(large.length);
      assertThat(cache.get("big:8")).isNull();
      // once written, their bytes no longer count
      cache.put("after", new byte[] {1}, Duration.ofSeconds(30));
      assertThat(awaitEntry(cache, "after")).containsExactly(1);
      assertThat(cache.droppedWrites()).isEqualTo(2);
    } finally {
      busy.countDown();
      writer.close();
      link.close();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void withRedisGoneAReadIsAMissAndPingAndDeleteSaySo() throws Exception {
    CacheStore cache = state.cache();
    redis.kill();
    assertThat(cache.get("ns:abc")).isNull();
    assertThatThrownBy(cache::ping)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Redis did not answer");
    assertThatThrownBy(() -> cache.delete(List.of("ns:abc")))
        .isInstanceOf(IllegalStateException.class);
    cache.put("ns:lost", new byte[] {1}, Duration.ofSeconds(30));
  }
}
