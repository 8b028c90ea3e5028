package io.feathergate.core.keys;

import io.feathergate.core.auth.Budgeted;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spend in memory, written to the {@link KeyStore} in batches from a background thread: each key's
 * {@link KeySpend}, and the spend-log rows of finished requests. While the database is away the
 * rows wait (up to {@link #maxPendingRows}; past that they are dropped and counted) and the spend
 * stays unwritten; both are written when it returns.
 */
public final class SpendLedger {
  /** Rows kept while the database is away: about 40 MB at most. */
  public static final int DEFAULT_MAX_PENDING_ROWS = 100_000;

  /** Rows per insert batch and transaction: fewer commits when thousands arrive every second. */
  private static final int ROWS_PER_BATCH = 5_000;

  private final KeyStore store;
  private final Clock clock;
  private final int maxPendingRows;
  private final StoreHealth health;
  private final ConcurrentHashMap<String, KeySpend> keys = new ConcurrentHashMap<>();
  private volatile SharedSpend shared;

  /** Lock-free: every finished request adds to it, and no request waits for another here. */
  private final ConcurrentLinkedDeque<SpendLogRow> pendingRows = new ConcurrentLinkedDeque<>();

  private final AtomicInteger pendingCount = new AtomicInteger();
  private final AtomicLong droppedRows = new AtomicLong();

  public SpendLedger(KeyStore store, Clock clock, StoreHealth health, int maxPendingRows) {
    this.store = store;
    this.clock = clock;
    this.health = health;
    this.maxPendingRows = maxPendingRows;
  }

  /** The spend of a key, team or user in memory, made from its row the first time. */
  KeySpend spendOf(Budgeted budgeted) {
    return keys.computeIfAbsent(budgeted.scope(), scope -> new KeySpend(budgeted, clock.instant()));
  }

  /**
   * Spend is shared with the other replicas through {@code shared}: each cost is added there, and a
   * budget's admission uses every replica's spend as last read (read again at most every {@value
   * #SHARED_READ_MILLIS} ms, in the background).
   */
  public void shareSpendThrough(SharedSpend sharedSpend) {
    this.shared = sharedSpend;
  }

  /** How often, at most, a budget's shared total is read again while it is in use. */
  static final long SHARED_READ_MILLIS = 100;

  /** A call's real cost, settled in memory and added to the shared spend. */
  void settle(KeySpend spend, Instant now, double reservation, double cost) {
    double before = spend.settle(now, reservation, cost);
    SharedSpend sharedSpend = shared;
    if (sharedSpend != null && cost > 0) {
      Instant windowEnd = spend.windowEnd();
      sharedSpend.add(
          spend.scope(), windowEnd, before, cost, total -> spend.shared(windowEnd, total));
    }
  }

  /** Before an admission: the shared total is asked again when it was last asked a while ago. */
  void freshen(KeySpend spend) {
    SharedSpend sharedSpend = shared;
    if (sharedSpend != null
        && spend.sharedOlderThan(System.nanoTime(), SHARED_READ_MILLIS * 1_000_000)) {
      Instant windowEnd = spend.windowEnd();
      sharedSpend.read(spend.scope(), windowEnd, total -> spend.shared(windowEnd, total));
    }
  }

  /** A key, team or user read again from the database: its spend there, plus the unwritten. */
  void refreshed(Budgeted key) {
    KeySpend spend = keys.get(key.scope());
    if (spend != null) {
      spend.refresh(key, clock.instant());
    }
  }

  /** A key, team or user deleted: its spend is forgotten. */
  void forget(String scope) {
    keys.remove(scope);
  }

  /** Queues a finished request's row; drops it, counted, when too many wait already. */
  void log(SpendLogRow row) {
    if (pendingCount.incrementAndGet() > maxPendingRows) {
      pendingCount.decrementAndGet();
      droppedRows.incrementAndGet();
      return;
    }
    pendingRows.addLast(row);
  }

  /** Spend-log rows dropped because the database was away too long. */
  public long droppedRows() {
    return droppedRows.get();
  }

  public int pendingRows() {
    return pendingCount.get();
  }

  /**
   * Writes what is unwritten: every key's spend, then the rows, in batches. Called every few
   * seconds and at shutdown; what fails stays for the next call.
   *
   * @return whether everything was written
   */
  public boolean flush() {
    List<KeyStore.SpendDelta> deltas = new ArrayList<>();
    keys.forEach(
        (hash, spend) -> {
          KeyStore.SpendDelta delta = spend.takeUnwritten();
          if (delta != null) {
            deltas.add(delta);
          }
        });
    try {
      if (!deltas.isEmpty()) {
        store.addSpend(deltas);
      }
    } catch (RuntimeException e) {
      for (KeyStore.SpendDelta delta : deltas) {
        KeySpend spend = keys.get(delta.scope());
        if (spend != null) {
          spend.restore(delta);
        }
      }
      health.failed(e);
      return false;
    }
    while (true) {
      List<SpendLogRow> batch = new ArrayList<>();
      SpendLogRow row;
      while (batch.size() < ROWS_PER_BATCH && (row = pendingRows.pollFirst()) != null) {
        batch.add(row);
      }
      if (batch.isEmpty()) {
        health.succeeded();
        return true;
      }
      try {
        store.insertSpendLogs(batch);
        pendingCount.addAndGet(-batch.size());
      } catch (RuntimeException e) {
        // back at the head, in their order, still counted as pending
        for (int i = batch.size() - 1; i >= 0; i--) {
          pendingRows.addFirst(batch.get(i));
        }
        health.failed(e);
        return false;
      }
    }
  }
}
