package io.feathergate.core.auth;

import io.feathergate.core.GatewaySettings;
import io.feathergate.core.errors.GatewayException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The master key of {@code general_settings}, compared in constant time; answers at once. A gateway
 * without a master key lets everyone in as {@link Principal#NONE}; one whose configured key could
 * not be resolved lets nobody in (fail closed).
 */
public final class MasterKeyAuthenticator implements Authenticator {
  private final GatewaySettings settings;
  private final CompletionStage<Principal> master;

  public MasterKeyAuthenticator(GatewaySettings settings) {
    this.settings = settings;
    this.master =
        CompletableFuture.completedFuture(
            settings.masterKey() == null
                ? Principal.NONE
                : Principal.masterKey(settings.masterKey()));
  }

  @Override
  public CompletionStage<Principal> authenticate(String presentedKey) {
    if (!settings.authRequired()) {
      return master;
    }
    if (settings.masterKey() == null) {
      return refused(
          "Authentication Error: the gateway's master key is not available ("
              + settings.masterKeyProblem()
              + "), so every request is refused.");
    }
    if (presentedKey == null || presentedKey.isEmpty()) {
      return refused(
          "Authentication Error: no API key passed in. Send it as 'Authorization: Bearer <key>'.");
    }
    if (!settings.masterKey().matches(presentedKey)) {
      return refused("Authentication Error: invalid API key.");
    }
    return master;
  }

  private static CompletionStage<Principal> refused(String message) {
    return CompletableFuture.failedFuture(GatewayException.unauthorized(message));
  }
}
