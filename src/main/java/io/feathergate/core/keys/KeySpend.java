package io.feathergate.core.keys;

import io.feathergate.core.auth.Budgeted;
import java.time.Instant;

/**
 * One key's, team's or user's spend in its current budget window, in memory: what is settled, what
 * calls in flight have reserved, and what is not yet written to the database. A budget is enforced
 * from here, never from the database. Synchronized: a key's calls contend only with each other, for
 * a few arithmetic operations.
 */
final class KeySpend {
  private final String scope;
  private BudgetWindow window;
  private Instant windowEnd;
  private double spend;
  private double reserved;
  private double unwritten;

  /**
   * Every replica's spend in the window, as shared spend last said (0 without it), and when that
   * was asked, in nanoseconds.
   */
  private double sharedSpend;

  private Instant sharedWindowEnd;
  private long sharedAskedNanos = Long.MIN_VALUE;

  KeySpend(Budgeted key, Instant now) {
    this.scope = key.scope();
    this.window = window(key);
    this.windowEnd = key.budgetResetAt();
    this.spend = key.spend();
    roll(now);
  }

  private static BudgetWindow window(Budgeted key) {
    try {
      return key.budgetDuration() == null ? null : BudgetWindow.parse(key.budgetDuration());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The window ends when it ends, not at the next round of a background job. */
  private void roll(Instant now) {
    if (window == null) {
      windowEnd = null;
      return;
    }
    if (windowEnd == null || !now.isBefore(windowEnd)) {
      if (windowEnd != null) {
        // the spend of the window that ended stays in the spend logs; the key starts again
        spend = 0;
        unwritten = 0;
        sharedSpend = 0;
        sharedWindowEnd = null;
      }
      windowEnd = window.endAfter(now);
    }
  }

  /**
   * Reserves {@code amount} for a call if the key has budget left: its settled spend and what calls
   * in flight reserved are under {@code maxBudget}.
   *
   * @return the spend before this call, or a negative number (the spend, negated minus one) when
   *     the budget is used up
   */
  synchronized double tryReserve(Instant now, double maxBudget, double amount) {
    roll(now);
    double known = known();
    if (known + reserved >= maxBudget) {
      return -1 - known;
    }
    reserved += amount;
    return known;
  }

  /** This replica's spend, or every replica's as last shared when that is more. */
  private double known() {
    return sharedWindowEnd != null && sharedWindowEnd.equals(windowEndOrEpoch())
        ? Math.max(spend, sharedSpend)
        : spend;
  }

  /** The window's end, or the epoch for a budget without one (one window for good). */
  private Instant windowEndOrEpoch() {
    return windowEnd == null ? Instant.EPOCH : windowEnd;
  }

  /** The window's total as every replica spent it, when shared spend answers. */
  synchronized void shared(Instant ofWindowEnd, double total) {
    Instant window = ofWindowEnd == null ? Instant.EPOCH : ofWindowEnd;
    if (window.equals(windowEndOrEpoch())) {
      sharedWindowEnd = window;
      sharedSpend = Math.max(sharedSpend, total);
    }
  }

  /**
   * Whether the shared total was last asked more than {@code maxAgeNanos} ago (and marks it asked).
   */
  synchronized boolean sharedOlderThan(long nowNanos, long maxAgeNanos) {
    if (sharedAskedNanos != Long.MIN_VALUE && nowNanos - sharedAskedNanos < maxAgeNanos) {
      return false;
    }
    sharedAskedNanos = nowNanos;
    return true;
  }

  String scope() {
    return scope;
  }

  synchronized Instant windowEnd() {
    return windowEnd;
  }

  /**
   * Takes a call's reservation back and adds what it really cost.
   *
   * @return this replica's spend before the cost
   */
  synchronized double settle(Instant now, double reservation, double cost) {
    reserved = Math.max(0, reserved - reservation);
    roll(now);
    double before = spend;
    spend += cost;
    unwritten += cost;
    if (sharedWindowEnd != null && sharedWindowEnd.equals(windowEndOrEpoch())) {
      sharedSpend += cost; // until the shared total comes back
    }
    return before;
  }

  synchronized double spend(Instant now) {
    roll(now);
    return known();
  }

  /**
   * The key as the database last saw it: its spend there plus what this gateway has not written.
   */
  synchronized void refresh(Budgeted key, Instant now) {
    BudgetWindow newWindow = window(key);
    // compared by text: a record's own equals pins class loaders on Java 17 (see TokenPrices)
    boolean sameWindow =
        newWindow != null && window != null && newWindow.text().equals(window.text())
            || newWindow == null && window == null;
    window = newWindow;
    if (!sameWindow
        || key.budgetResetAt() == null
        || windowEnd == null
        || !key.budgetResetAt().isBefore(windowEnd)) {
      windowEnd = key.budgetResetAt();
      spend = key.spend() + unwritten;
    }
    roll(now);
  }

  /** What to write: the unwritten spend, now counted as written; null when there is none. */
  synchronized KeyStore.SpendDelta takeUnwritten() {
    if (unwritten == 0) {
      return null;
    }
    KeyStore.SpendDelta delta = new KeyStore.SpendDelta(scope, unwritten, windowEnd);
    unwritten = 0;
    return delta;
  }

  /** Puts back spend that could not be written. */
  synchronized void restore(KeyStore.SpendDelta delta) {
    if (delta.windowEnd() == null ? windowEnd == null : delta.windowEnd().equals(windowEnd)) {
      unwritten += delta.amount();
    }
  }

  synchronized double reserved() {
    return reserved;
  }
}
