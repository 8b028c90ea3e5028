package io.feathergate.core.cache;

import java.time.Duration;
import java.util.List;

/**
 * Where entries are kept: this process's memory, or the Redis the replicas share. A store that
 * cannot be reached answers as if it held nothing: the cache is skipped, the request goes on.
 */
public interface CacheStore {

  /** The entry's bytes, or null when there is none or the store cannot say within its timeout. */
  byte[] get(String key);

  /** Keeps an entry for {@code ttl}; never waits (a shared store writes in the background). */
  void put(String key, byte[] entry, Duration ttl);

  /**
   * Removes entries.
   *
   * @return how many there were
   * @throws IllegalStateException when the store cannot be reached
   */
  long delete(List<String> keys);

  /**
   * Checks that the store answers.
   *
   * @throws IllegalStateException with the reason when it does not
   */
  void ping();

  /** Entries not kept because the store could not take them in time (a shared store's writer). */
  default long droppedWrites() {
    return 0;
  }

  /** {@code local} or {@code redis}, as LiteLLM's {@code /cache/ping} names them. */
  String type();
}
