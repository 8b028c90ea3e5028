package io.feathergate.core.keys;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.feathergate.core.auth.Budgeted;
import io.feathergate.core.auth.Team;
import io.feathergate.core.auth.User;
import io.feathergate.core.auth.VirtualKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keys by hash, and teams and users by id, in memory, each under its {@link Budgeted#scope()}. A
 * key not in memory is read from the {@link KeyStore} on a small pool of its own, never on a
 * request's thread; a key in memory is read again in the background once its {@code
 * user_api_key_cache_ttl} has passed, and served as it was meanwhile, so that requests with known
 * keys keep flowing while the database is away. Unknown keys are remembered too (as absent), so
 * that a client repeating a wrong key does not reach the database each time. Changes made through
 * this gateway replace the entry at once.
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
  private final AsyncLoadingCache<String, Optional<Budgeted>> cache;
  private volatile Consumer<String> announcer = scope -> {};

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
            // the cache's upkeep runs on the reading thread, a few nanoseconds a read: handing it
            // to the pool woke a thread every few reads of a busy key (2 µs a request measured)
            .executor(Runnable::run)
            .buildAsync(this::loadAsync);
  }

  /** Reads run on the lookup pool, never on the thread that asked (a request's, or upkeep's). */
  private CompletableFuture<Optional<Budgeted>> loadAsync(String scope, Executor unused) {
    try {
      return CompletableFuture.supplyAsync(() -> load(scope), lookups);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new KeyStore.StoreException("too many keys are being looked up at once", e));
    }
  }

  private Optional<Budgeted> load(String scope) {
    try {
      int colon = scope.indexOf(':');
      String id = scope.substring(colon + 1);
      Optional<? extends Budgeted> found =
          switch (scope.substring(0, colon)) {
            case "key" -> store.find(id);
            case "team" -> store.findTeam(id);
            case "user" -> store.findUser(id);
            default -> throw new IllegalArgumentException("no such scope: " + scope);
          };
      health.succeeded();
      found.ifPresent(ledger::refreshed);
      return found.map(Budgeted.class::cast);
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
    return lookUp("key:" + tokenHash).thenApply(found -> found.map(VirtualKey.class::cast));
  }

  /** The team with this id, or empty for none (and for a null id). */
  public CompletableFuture<Optional<Team>> team(String teamId) {
    return teamId == null
        ? CompletableFuture.completedFuture(Optional.empty())
        : lookUp("team:" + teamId).thenApply(found -> found.map(Team.class::cast));
  }

  /** The user with this id, or empty for none (and for a null id). */
  public CompletableFuture<Optional<User>> user(String userId) {
    return userId == null
        ? CompletableFuture.completedFuture(Optional.empty())
        : lookUp("user:" + userId).thenApply(found -> found.map(User.class::cast));
  }

  /**
   * What is in memory under {@code scope}, without waiting: the entry when its read is done, null
   * when it is not in memory or still being read (then {@link #find} and its kin wait for it).
   */
  Optional<Budgeted> inMemory(String scope) {
    CompletableFuture<Optional<Budgeted>> entry = cache.getIfPresent(scope);
    return entry != null && entry.isDone() && !entry.isCompletedExceptionally()
        ? entry.join()
        : null;
  }

  private CompletableFuture<Optional<Budgeted>> lookUp(String scope) {
    try {
      return cache.get(scope);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new KeyStore.StoreException("too many keys are being looked up at once", e));
    }
  }

  /** A key, team or user made or changed through this gateway: in force at once. */
  void changed(Budgeted changed) {
    cache.put(changed.scope(), CompletableFuture.completedFuture(Optional.of(changed)));
    ledger.refreshed(changed);
    announcer.accept(changed.scope());
  }

  /** A key, team or user deleted (or a key regenerated away) through this gateway: gone at once. */
  void removed(String scope) {
    cache.put(scope, CompletableFuture.completedFuture(Optional.empty()));
    ledger.forget(scope);
    announcer.accept(scope);
  }

  /** Tells {@code announcer} the scope of every key, team or user changed through this gateway. */
  public void announceChangesTo(Consumer<String> announcer) {
    this.announcer = announcer;
  }

  /**
   * A key, team or user another replica changed: dropped here, so that its next request reads it
   * from the database (a deleted key is then refused, a raised budget applies).
   */
  public void changedElsewhere(String scope) {
    cache.synchronous().invalidate(scope);
  }

  /**
   * Changes made elsewhere may have been missed (the channel that carries them was away): every
   * key, team and user in memory is read again in the background, served as it was meanwhile.
   */
  public void refreshAll() {
    List<String> scopes = List.copyOf(cache.synchronous().asMap().keySet());
    try {
      // one sweep on one lookup thread: a refresh of each at once would overflow the lookups' queue
      lookups.execute(
          () -> {
            for (String scope : scopes) {
              try {
                cache.put(scope, CompletableFuture.completedFuture(load(scope)));
              } catch (RuntimeException e) {
                return; // the database is away: entries stay as they were, refreshed on their TTL
              }
            }
          });
    } catch (RejectedExecutionException e) {
      // lookups are backed up: entries are refreshed on their TTL
    }
  }

  @Override
  public void close() {
    lookups.shutdownNow();
  }
}
