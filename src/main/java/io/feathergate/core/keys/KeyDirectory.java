package io.feathergate.core.keys;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.feathergate.core.auth.VirtualKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Keys by hash, in memory. A key not in memory is read from the {@link KeyStore} on a small pool of
 * its own, never on a request's thread; a key in memory is read again in the background once its
 * {@code user_api_key_cache_ttl} has passed, and served as it was meanwhile, so that requests with
 * known keys keep flowing while the database is away. Unknown keys are remembered too (as absent),
 * so that a client repeating a wrong key does not reach the database each time. Changes made
 * through this gateway replace the entry at once.
 */
public final class KeyDirectory implements AutoCloseable {
  /** Keys in memory at most; beyond, the least used are read again when they return. */
  private static final long MAX_KEYS = 100_000;

  /** Lookups waiting for the database at most; more are refused rather than queued. */
  private static final int MAX_WAITING_LOOKUPS = 512;

  private final KeyStore store;
  private final SpendLedger ledger;
  private final StoreHealth health;
  private final ThreadPoolExecutor lookups;
  private final AsyncLoadingCache<String, Optional<VirtualKey>> cache;

  public KeyDirectory(KeyStore store, SpendLedger ledger, StoreHealth health, Duration ttl) {
    this.store = store;
    this.ledger = ledger;
    this.health = health;
    this.lookups =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_WAITING_LOOKUPS),
            runnable -> {
              Thread thread = new Thread(runnable, "feathergate-key-lookup");
              thread.setDaemon(true);
              return thread;
            });
    lookups.allowCoreThreadTimeOut(true);
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(MAX_KEYS)
            .refreshAfterWrite(ttl)
            .expireAfterAccess(Duration.ofHours(1).compareTo(ttl) > 0 ? Duration.ofHours(1) : ttl)
            .executor(lookups)
            .buildAsync(this::load);
  }

  private Optional<VirtualKey> load(String tokenHash) {
    try {
      Optional<VirtualKey> key = store.find(tokenHash);
      health.succeeded();
      key.ifPresent(ledger::refreshed);
      return key;
    } catch (RuntimeException e) {
      health.failed(e);
      throw e;
    }
  }

  /**
   * The key with this hash: at once when it is in memory, else once the database answered.
   *
   * @return a stage failed with {@link KeyStore.StoreException} when the database cannot say
   */
  public CompletableFuture<Optional<VirtualKey>> find(String tokenHash) {
    try {
      return cache.get(tokenHash);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new KeyStore.StoreException("too many keys are being looked up at once", e));
    }
  }

  /** A key made or changed through this gateway: in force at once. */
  void changed(VirtualKey key) {
    cache.put(key.tokenHash(), CompletableFuture.completedFuture(Optional.of(key)));
    ledger.refreshed(key);
  }

  /** A key deleted (or regenerated away) through this gateway: refused at once. */
  void removed(String tokenHash) {
    cache.put(tokenHash, CompletableFuture.completedFuture(Optional.empty()));
    ledger.forget(tokenHash);
  }

  @Override
  public void close() {
    lookups.shutdownNow();
  }
}
