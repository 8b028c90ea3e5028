package io.feathergate.core.routing;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.Route;

/**
 * Retries a retryable failure on the same deployment, up to its {@code max_retries}: the gateway's
 * behaviour until the router picks another deployment instead.
 */
public final class SameDeploymentRetries implements AttemptPlan {
  private final Route route;
  private int retriesLeft;

  public SameDeploymentRetries(Route route) {
    this.route = route;
    this.retriesLeft = route.deployment().maxRetries();
  }

  @Override
  public Route first() {
    return route;
  }

  @Override
  public Route next(Route failed, GatewayException failure) {
    if (!failure.retryable() || retriesLeft <= 0) {
      return null;
    }
    retriesLeft--;
    return failed;
  }
}
