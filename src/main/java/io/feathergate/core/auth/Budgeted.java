package io.feathergate.core.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a key, a team and a user have alike: the model groups they may call, a budget in a window,
 * and limits per minute and in flight. A request is held to each of them that applies to it.
 */
public interface Budgeted {

  /** {@code key:<hash>}, {@code team:<id>} or {@code user:<id>}: names its counters and spend. */
  String scope();

  /** The model groups it may call; empty for all. */
  List<String> models();

  /** The most it may spend in a window, in US dollars, or null for no limit. */
  Double maxBudget();

  /**
   * The budget window ({@code 30s}, {@code 1d}, {@code 1mo}, ...), or null for one that never ends.
   */
  String budgetDuration();

  /** When the current window ends, or null. */
  Instant budgetResetAt();

  /** What it spent in the current window, as the database last said. */
  double spend();

  Long rpmLimit();

  Long tpmLimit();

  Long maxParallelRequests();

  /** Whether it may call {@code modelGroup}: its list is empty, or names it (or {@code *}). */
  default boolean allows(String modelGroup) {
    return models().isEmpty() || models().contains(modelGroup) || models().contains("*");
  }

  /** Whether any per-minute or in-flight limit is set. */
  default boolean limited() {
    return rpmLimit() != null || tpmLimit() != null || maxParallelRequests() != null;
  }
}
