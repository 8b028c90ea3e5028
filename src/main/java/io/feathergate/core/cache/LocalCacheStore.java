package io.feathergate.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.List;

/** Entries in this process, each with its own lifetime, bounded by what they weigh together. */
public final class LocalCacheStore implements CacheStore {
  /** What a key and the map's entry weigh beside the bytes, roughly. */
  private static final int OVERHEAD_BYTES = 96;

  private final Cache<String, Entry> entries;

  public LocalCacheStore(long maxBytes) {
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher(
                (String key, Entry entry) -> key.length() + entry.bytes.length + OVERHEAD_BYTES)
            .expireAfter(new Lifetime())
            // upkeep on the thread that reads or writes: no pool thread woken per request
            .executor(Runnable::run)
            .build();
  }

  @Override
  public byte[] get(String key) {
    Entry entry = entries.getIfPresent(key);
    return entry == null ? null : entry.bytes;
  }

  @Override
  public void put(String key, byte[] entry, Duration ttl) {
    if (ttl.isZero() || ttl.isNegative()) {
      entries.invalidate(key);
      return;
    }
    entries.put(key, new Entry(entry, ttl.toNanos()));
  }

  @Override
  public long delete(List<String> keys) {
    long present = 0;
    for (String key : keys) {
      if (entries.asMap().remove(key) != null) {
        present++;
      }
    }
    return present;
  }

  @Override
  public void ping() {
    // memory always answers
  }

  @Override
  public String type() {
    return "local";
  }

  /** An entry's bytes and lifetime. */
  private static final class Entry {
    final byte[] bytes;
    final long ttlNanos;

    Entry(byte[] bytes, long ttlNanos) {
      this.bytes = bytes;
      this.ttlNanos = ttlNanos;
    }
  }

  /** Each entry lives for its own {@code ttl}, counted from its last write. */
  private static final class Lifetime implements Expiry<String, Entry> {
    @Override
    public long expireAfterCreate(String key, Entry entry, long currentTime) {
      return entry.ttlNanos;
    }

    @Override
    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
      return entry.ttlNanos;
    }

    @Override
    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
