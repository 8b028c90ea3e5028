package io.feathergate.redis;

import io.feathergate.core.cache.CacheStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.params.SetParams;

/**
 * The response cache's entries in Redis, under their keys as they are ({@code
 * [namespace:]<sha256>}, LiteLLM's layout), each with its lifetime. A read waits at most the
 * command timeout and, while Redis is away, is a miss at once (the breaker); a write goes through
 * the writer thread and is dropped, counted, when Redis cannot take it.
 */
final class SharedCache implements CacheStore {
  /** What entries waiting for the writer may weigh together. */
  static final long MAX_QUEUED_BYTES = 32L * 1024 * 1024;

  private final RedisLink link;
  private final RedisWriter writer;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  SharedCache(RedisLink link, RedisWriter writer) {
    this.link = link;
    this.writer = writer;
  }

  @Override
  public byte[] get(String key) {
    try {
      return link.call(jedis -> jedis.get(bytes(key)));
    } catch (RedisLink.Unavailable e) {
      // counted and reported by the link; the request goes upstream
      return null;
    }
  }

  @Override
  public void put(String key, byte[] entry, Duration ttl) {
    // the writer's queue is bounded in count, entries are up to megabytes: bound their bytes too
    if (queuedBytes.addAndGet(entry.length) > MAX_QUEUED_BYTES) {
      queuedBytes.addAndGet(-entry.length);
      dropped.incrementAndGet();
      return;
    }
    boolean queued =
        writer.submit(
            () -> {
              try {
                link.call(
                    jedis ->
                        jedis.set(bytes(key), entry, SetParams.setParams().px(ttl.toMillis())));
              } catch (RedisLink.Unavailable e) {
                // counted and reported by the link; the answer was served, only not kept
              } finally {
                queuedBytes.addAndGet(-entry.length);
              }
            });
    if (!queued) {
      queuedBytes.addAndGet(-entry.length);
      dropped.incrementAndGet();
    }
  }

  /** Entries not written because too many bytes were waiting for the writer, or it was full. */
  @Override
  public long droppedWrites() {
    return dropped.get();
  }

  @Override
  public long delete(List<String> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    byte[][] names = new byte[keys.size()][];
    for (int i = 0; i < names.length; i++) {
      names[i] = bytes(keys.get(i));
    }
    try {
      return link.call(jedis -> jedis.del(names));
    } catch (RedisLink.Unavailable e) {
      throw new IllegalStateException("Redis did not answer: " + e.getMessage(), e);
    }
  }

  @Override
  public void ping() {
    try {
      var unusedPong = link.call(jedis -> jedis.ping());
    } catch (RedisLink.Unavailable e) {
      throw new IllegalStateException("Redis did not answer: " + e.getMessage(), e);
    }
  }

  @Override
  public String type() {
    return "redis";
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
