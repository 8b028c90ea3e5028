package io.feathergate.core.auth;

import io.feathergate.core.Secret;

/**
 * Who made a request, as authentication found out, carried from the edge through the exchange to
 * limits, metrics, the access log and the live feed. Never the key itself.
 *
 * @param keyHash SHA-256 hex of the key the caller presented (LiteLLM's {@code hashed_api_key}), or
 *     null for an open gateway
 * @param keyAlias the key's alias, or null
 * @param userId the user the key belongs to (LiteLLM's {@code default_user_id} for the master key),
 *     or null
 * @param teamId the team the key belongs to, or null
 * @param virtualKey the virtual key the caller presented, or null for the master key and an open
 *     gateway
 * @param team the key's team, when it has one and the team exists
 * @param user the key's user, when it has one and the user exists
 */
public record Principal(
    String keyHash,
    String keyAlias,
    String userId,
    String teamId,
    VirtualKey virtualKey,
    Team team,
    User user) {
  /** A request to a gateway without a master key: nobody in particular. */
  public static final Principal NONE = new Principal(null, null, null, null, null, null, null);

  /** What LiteLLM calls the user of the master key. */
  public static final String MASTER_KEY_USER = "default_user_id";

  /** A caller without a virtual key. */
  public Principal(String keyHash, String keyAlias, String userId, String teamId) {
    this(keyHash, keyAlias, userId, teamId, null, null, null);
  }

  /** The caller who presented the master key. */
  public static Principal masterKey(Secret masterKey) {
    return new Principal(masterKey.sha256Hex(), null, MASTER_KEY_USER, null, null, null, null);
  }

  /** The caller who presented {@code key}, of {@code team} and {@code user} (each may be null). */
  public static Principal of(VirtualKey key, Team team, User user) {
    return new Principal(
        key.tokenHash(), key.keyAlias(), key.userId(), key.teamId(), key, team, user);
  }

  /** What the request is held to: the key, its team and its user, those that exist. */
  public java.util.List<Budgeted> budgets() {
    java.util.List<Budgeted> budgets = new java.util.ArrayList<>(3);
    if (virtualKey != null) {
      budgets.add(virtualKey);
    }
    if (team != null) {
      budgets.add(team);
    }
    if (user != null) {
      budgets.add(user);
    }
    return budgets;
  }

  /**
   * Whether the caller may manage keys: the master key (or anyone, on a gateway without one). A
   * virtual key never may, whatever its metadata says.
   */
  public boolean isAdmin() {
    return virtualKey == null;
  }
}
