package io.feathergate.core.keys;

import io.feathergate.core.auth.VirtualKey;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where keys and spend are kept: a database, reached only from background threads and the
 * management API, never from a request's own path. Every method may throw {@link StoreException}
 * when the database cannot answer.
 */
public interface KeyStore {

  /** The key whose SHA-256 is {@code tokenHash}. */
  Optional<VirtualKey> find(String tokenHash);

  /** The key with this alias. */
  Optional<VirtualKey> findByAlias(String keyAlias);

  /**
   * Saves a new key.
   *
   * @throws DuplicateKeyException when a key with the same hash or alias exists
   */
  void insert(VirtualKey key);

  /**
   * Replaces a key's row (all but its spend, which only {@link #addSpend} changes).
   *
   * @return whether the key was there
   * @throws DuplicateKeyException when its new alias belongs to another key
   */
  boolean update(VirtualKey key);

  /** Replaces a key's hash (a regenerated key keeps everything else), false when it is gone. */
  boolean rehash(String oldTokenHash, String newTokenHash, String newKeyName, Instant updatedAt);

  /** Deletes keys; returns the hashes that were there. */
  List<String> delete(Collection<String> tokenHashes);

  /** One page of keys, newest first, and how many match in all. */
  KeyPage list(KeyFilter filter, int page, int size);

  /** Adds spend to keys, each in its budget window. */
  void addSpend(Collection<SpendDelta> deltas);

  /** Saves spend-log rows; a row whose request id is already saved is skipped. */
  void insertSpendLogs(List<SpendLogRow> rows);

  /** Spend-log rows, oldest first. */
  List<SpendLogRow> spendLogs(SpendLogFilter filter);

  /** Checks that the database answers. */
  void ping();

  /** Which keys to list: each null filter matches all. */
  record KeyFilter(String userId, String teamId, String keyAlias) {}

  /** A page of keys. */
  record KeyPage(List<VirtualKey> keys, long totalCount) {}

  /**
   * Spend to add to a key.
   *
   * @param windowEnd the end of the budget window it was spent in, or null for a key whose budget
   *     never resets: spend of an older window than the row's is dropped, a newer window starts
   *     from this spend
   */
  record SpendDelta(String tokenHash, double amount, Instant windowEnd) {}

  /** Which spend-log rows to read: each null filter matches all. */
  record SpendLogFilter(
      String tokenHash, String requestId, String userId, Instant from, Instant to, int limit) {}

  /** The database failed or could not be reached. */
  final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A key with the same hash or alias already exists. */
  final class DuplicateKeyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DuplicateKeyException(String message) {
      super(message, null, false, false);
    }
  }
}
