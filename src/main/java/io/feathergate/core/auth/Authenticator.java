package io.feathergate.core.auth;

import io.feathergate.core.errors.GatewayException;
import java.util.concurrent.CompletionStage;

/**
 * Turns the key a client presented into a {@link Principal}. The answer may come later (a key not
 * yet in memory is looked up without holding a container thread): the edge waits for the stage
 * asynchronously, and goes on at once when it is already complete, as it is for the master key.
 */
public interface Authenticator {

  /**
   * @param presentedKey the key from the request's credential header, or null when none was sent
   * @return the caller, or a stage failed with a 401 {@link GatewayException}
   */
  CompletionStage<Principal> authenticate(String presentedKey);
}
