package io.feathergate.core.keys;

import io.feathergate.core.GatewaySettings;
import io.feathergate.core.Secret;
import io.feathergate.core.auth.Authenticator;
import io.feathergate.core.auth.Budgeted;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.auth.Team;
import io.feathergate.core.auth.User;
import io.feathergate.core.auth.VirtualKey;
import io.feathergate.core.errors.GatewayException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The master key, then virtual keys: a key that is not the master key is hashed and looked up in
 * the {@link KeyDirectory} (at once when it is in memory). A blocked or expired key is refused with
 * LiteLLM's messages.
 */
public final class KeyAuthenticator implements Authenticator {
  private final GatewaySettings settings;
  private final Authenticator masterKey;
  private final KeyDirectory keys;
  private final Clock clock;

  /** The master key's SHA-256 in hex, compared in constant time; null without a master key. */
  private final byte[] masterHash;

  private final CompletionStage<Principal> masterPrincipal;

  public KeyAuthenticator(
      GatewaySettings settings, Authenticator masterKey, KeyDirectory keys, Clock clock) {
    Secret master = settings.masterKey();
    this.masterHash =
        master == null ? null : master.sha256Hex().getBytes(StandardCharsets.US_ASCII);
    this.masterPrincipal =
        master == null ? null : CompletableFuture.completedFuture(Principal.masterKey(master));
    this.settings = settings;
    this.masterKey = masterKey;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Principal> authenticate(String presentedKey) {
    Secret master = settings.masterKey();
    if (master == null || presentedKey == null || presentedKey.isEmpty()) {
      return masterKey.authenticate(presentedKey);
    }
    // one hash for both questions: is it the master key, and which virtual key is it
    String hash = sha256Hex(presentedKey);
    if (MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), masterHash)) {
      return masterPrincipal;
    }
    CompletionStage<Principal> known = fromMemory(hash);
    if (known != null) {
      return known;
    }
    return keys.find(hash)
        .handle(
            (found, failure) -> {
              if (failure != null) {
                throw unavailable();
              }
              if (found.isEmpty()) {
                throw GatewayException.unauthorized("Authentication Error: invalid API key.");
              }
              return check(found.get(), clock.instant());
            })
        .thenCompose(this::withTeamAndUser);
  }

  /**
   * The usual case, answered without a stage chain: the key, its team and its user all in memory.
   *
   * @return the outcome, or null when something must be read first
   */
  private CompletionStage<Principal> fromMemory(String hash) {
    Optional<Budgeted> found = keys.inMemory("key:" + hash);
    if (found == null) {
      return null;
    }
    if (found.isEmpty()) {
      return CompletableFuture.failedFuture(
          GatewayException.unauthorized("Authentication Error: invalid API key."));
    }
    VirtualKey key = (VirtualKey) found.get();
    Optional<Budgeted> team =
        key.teamId() == null ? Optional.empty() : keys.inMemory("team:" + key.teamId());
    Optional<Budgeted> user =
        key.userId() == null ? Optional.empty() : keys.inMemory("user:" + key.userId());
    if (team == null || user == null) {
      return null;
    }
    try {
      Principal principal =
          Principal.of(
              check(key, clock.instant()), (Team) team.orElse(null), (User) user.orElse(null));
      checkTeam(principal);
      return CompletableFuture.completedFuture(principal);
    } catch (GatewayException refused) {
      return CompletableFuture.failedFuture(refused);
    }
  }

  private static void checkTeam(Principal principal) {
    if (principal.team() != null && principal.team().blocked()) {
      throw GatewayException.unauthorized(
          "Authentication Error, Team="
              + principal.team().teamId()
              + " is blocked. Update via `/team/unblock` if you're admin.");
    }
  }

  /** The key's team and user, when it names them: both at once when they are in memory. */
  private CompletionStage<Principal> withTeamAndUser(VirtualKey key) {
    if (key.teamId() == null && key.userId() == null) {
      return CompletableFuture.completedFuture(Principal.of(key, null, null));
    }
    var team = keys.team(key.teamId());
    var user = keys.user(key.userId());
    return team.thenCombine(user, (t, u) -> Principal.of(key, t.orElse(null), u.orElse(null)))
        .handle(
            (principal, failure) -> {
              if (failure != null) {
                throw unavailable();
              }
              checkTeam(principal);
              return principal;
            });
  }

  private static GatewayException unavailable() {
    return GatewayException.serviceUnavailable(
        "Authentication Error: the key could not be checked, the key database is"
            + " unavailable. Try again shortly.");
  }

  private static VirtualKey check(VirtualKey key, Instant now) {
    if (key.blocked()) {
      throw GatewayException.unauthorized(
          "Authentication Error, Key is blocked. Update via `/key/unblock` if you're admin.");
    }
    if (key.expiredAt(now)) {
      throw new GatewayException(
          401,
          "expired_key",
          "Authentication Error - Expired Key. Key Expiry time "
              + key.expires()
              + " and current time "
              + now,
          null,
          "401",
          false);
    }
    return key;
  }

  /** Cloned per use: cheaper than looking the algorithm up among the providers every time. */
  private static final MessageDigest SHA_256;

  static {
    try {
      SHA_256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** SHA-256 of a key in lower-case hex, LiteLLM's {@code hash_token}. */
  public static String sha256Hex(String key) {
    MessageDigest digest;
    try {
      digest = (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException impossible) {
        throw new IllegalStateException("every Java platform has SHA-256", impossible);
      }
    }
    return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
  }
}
