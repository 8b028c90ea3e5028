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
 */
public record Principal(String keyHash, String keyAlias, String userId, String teamId) {
  /** A request to a gateway without a master key: nobody in particular. */
  public static final Principal NONE = new Principal(null, null, null, null);

  /** What LiteLLM calls the user of the master key. */
  public static final String MASTER_KEY_USER = "default_user_id";

  /** The caller who presented the master key. */
  public static Principal masterKey(Secret masterKey) {
    return new Principal(masterKey.sha256Hex(), null, MASTER_KEY_USER, null);
  }
}
