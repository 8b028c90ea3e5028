package io.feathergate.core.routing;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.Route;

/**
 * Where the attempts of one request go: the deployment of the first attempt, and after a failure
 * the deployment of the next one, if any. The exchange asks; a plan decides (retries on the same
 * deployment today; the router's retries, fallbacks and cooldowns implement this too). Used by one
 * exchange, from one thread at a time.
 */
public interface AttemptPlan {

  /** The route of the first attempt. */
  Route first();

  /**
   * The route of the attempt after {@code failure} on {@code failed}, or null when the request
   * fails with it. Only asked while nothing has reached the client.
   */
  Route next(Route failed, GatewayException failure);
}
