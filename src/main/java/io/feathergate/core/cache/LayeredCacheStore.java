package io.feathergate.core.cache;

import java.time.Duration;
import java.util.List;

/**
 * A shared store with a copy of recent entries in this process ({@code default_in_memory_ttl}), as
 * LiteLLM's dual cache: a hit read once from Redis is served from memory for a while after. An
 * entry deleted through another replica lives on here for at most that while.
 */
public final class LayeredCacheStore implements CacheStore {
  private final LocalCacheStore front;
  private final CacheStore shared;
  private final Duration frontTtl;

  public LayeredCacheStore(LocalCacheStore front, Duration frontTtl, CacheStore shared) {
    this.front = front;
    this.frontTtl = frontTtl;
    this.shared = shared;
  }

  @Override
  public byte[] get(String key) {
    byte[] entry = front.get(key);
    if (entry != null) {
      return entry;
    }
    entry = shared.get(key);
    if (entry != null) {
      front.put(key, entry, frontTtl);
    }
    return entry;
  }

  @Override
  public void put(String key, byte[] entry, Duration ttl) {
    front.put(key, entry, ttl.compareTo(frontTtl) < 0 ? ttl : frontTtl);
    shared.put(key, entry, ttl);
  }

  @Override
  public long delete(List<String> keys) {
    long inFront = front.delete(keys);
    return Math.max(inFront, shared.delete(keys));
  }

  @Override
  public void ping() {
    shared.ping();
  }

  @Override
  public long droppedWrites() {
    return shared.droppedWrites();
  }

  @Override
  public String type() {
    return shared.type();
  }
}
