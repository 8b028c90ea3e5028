package io.feathergate.core.keys;

import java.time.Instant;
import java.util.function.DoubleConsumer;

/**
 * What every replica spent in a key's, team's or user's budget window, kept where all replicas see
 * it (Redis). Nothing here waits: totals come back later, to be used by the next admission.
 */
public interface SharedSpend {
  /**
   * Adds a settled cost to the scope's window, which starts from {@code known} (this replica's
   * spend before the cost) when no replica has written it yet.
   *
   * @param windowEnd the window's end, or null for a budget without a duration
   * @param total told the window's total once known
   */
  void add(String scope, Instant windowEnd, double known, double cost, DoubleConsumer total);

  /** Reads the window's total, when written, and tells {@code total}. */
  void read(String scope, Instant windowEnd, DoubleConsumer total);
}
