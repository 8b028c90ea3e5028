package io.feathergate.core.responses;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The responses of one process, for a while ({@code ttl}) and within a byte budget: past it, the
 * oldest go first. A conversation continued across replicas needs a shared store.
 */
public final class InMemoryResponseStore implements ResponseStore {
  /** How long a response is kept by default: long enough for an agent's turns. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  /** The default byte budget. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  private record Entry(StoredResponse response, long expiresAtNanos) {}

  private final long ttlNanos;
  private final long maxBytes;
  private final LongSupplier nanoTime;

  /** Oldest first; guarded by {@code this}. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  private long bytes;

  public InMemoryResponseStore(Duration ttl, long maxBytes, LongSupplier nanoTime) {
    this.ttlNanos = ttl.toNanos();
    this.maxBytes = maxBytes;
    this.nanoTime = nanoTime;
  }

  public InMemoryResponseStore() {
    this(DEFAULT_TTL, DEFAULT_MAX_BYTES, System::nanoTime);
  }

  @Override
  public synchronized void put(StoredResponse response) {
    remove(response.id());
    long size = response.size();
    if (size > maxBytes) {
      return; // larger than the whole budget: keeping it would evict everything else
    }
    long now = nanoTime.getAsLong();
    entries.put(response.id(), new Entry(response, now + ttlNanos));
    bytes += size;
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (oldest.hasNext()) {
      Entry entry = oldest.next().getValue();
      if (bytes <= maxBytes && entry.expiresAtNanos() - now > 0) {
        break;
      }
      oldest.remove();
      bytes -= entry.response().size();
    }
  }

  @Override
  public synchronized StoredResponse get(String id) {
    Entry entry = entries.get(id);
    if (entry == null) {
      return null;
    }
    if (entry.expiresAtNanos() - nanoTime.getAsLong() <= 0) {
      remove(id);
      return null;
    }
    return entry.response();
  }

  @Override
  public synchronized boolean delete(String id) {
    return remove(id) != null;
  }

  private Entry remove(String id) {
    Entry removed = entries.remove(id);
    if (removed != null) {
      bytes -= removed.response().size();
    }
    return removed;
  }
}
