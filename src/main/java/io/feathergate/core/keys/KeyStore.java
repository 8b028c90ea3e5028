package io.feathergate.core.keys;

import io.feathergate.core.auth.Team;
import io.feathergate.core.auth.User;
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

  /** The team with this id. */
  Optional<Team> findTeam(String teamId);

  /**
   * Saves a new team, or replaces one (all but its spend).
   *
   * @throws DuplicateKeyException when {@code create} and the team exists
   */
  void saveTeam(Team team, boolean create);

  /** Deletes teams; returns the ids that were there. Their keys keep their {@code team_id}. */
  List<String> deleteTeams(Collection<String> teamIds);

  /** Every team, by id. */
  List<Team> listTeams();

  /** The user with this id. */
  Optional<User> findUser(String userId);

  /**
   * Saves a new user, or replaces one (all but its spend).
   *
   * @throws DuplicateKeyException when {@code create} and the user exists
   */
  void saveUser(User user, boolean create);

  /** Deletes users; returns the ids that were there. */
  List<String> deleteUsers(Collection<String> userIds);

  /** One page of users, by id. */
  List<User> listUsers(int page, int size);

  /** Spend per day (UTC) and per key, team, model group or user, from the spend logs. */
  List<SpendTotal> spendReport(SpendGrouping grouping, Instant from, Instant to);

  /** What a spend report groups by: a column of the spend logs, never the caller's text. */
  enum SpendGrouping {
    API_KEY("api_key"),
    TEAM("team_id"),
    MODEL("model_group"),
    USER("user_id");

    public final String column;

    SpendGrouping(String column) {
      this.column = column;
    }
  }

  /** One day's spend of one key, team, model group or user (null for none). */
  record SpendTotal(
      java.time.LocalDate day, String group, double spend, long totalTokens, long requests) {}

  /** Adds spend to keys, teams and users, each in its budget window. */
  void addSpend(Collection<SpendDelta> deltas);

  /**
   * Saves spend-log rows. Only into a database that exists: rows alone never make the embedded one
   * (they are dropped while no key, team or user was ever made).
   */
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
   * Spend to add to a key, team or user.
   *
   * @param scope {@code key:<hash>}, {@code team:<id>} or {@code user:<id>}
   * @param windowEnd the end of the budget window it was spent in, or null for a key whose budget
   *     never resets: spend of an older window than the row's is dropped, a newer window starts
   *     from this spend
   */
  record SpendDelta(String scope, double amount, Instant windowEnd) {}

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
