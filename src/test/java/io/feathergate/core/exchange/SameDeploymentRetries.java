package io.feathergate.core.exchange;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.routing.AttemptPlan;
import io.feathergate.core.spi.Route;

/**
 * Retries a retryable failure on the same deployment, up to its {@code max_retries}, at once: a
 * plan for exchange tests that route to one known deployment.
 */
final class SameDeploymentRetries implements AttemptPlan {
  private final Route route;
  private int retriesLeft;
  private int retries;
  private int resends;

  SameDeploymentRetries(Route route) {
    this.route = route;
    this.retriesLeft = route.deployment().maxRetries();
  }

  @Override
  public Route first() {
    return route;
  }

  @Override
  public Route next(Route failed, GatewayException failure) {
    if (failure.notSent() && resends < NOT_SENT_RESENDS) {
      resends++;
      return failed;
    }
    if (!failure.retryable() || retriesLeft <= 0) {
      return null;
    }
    retriesLeft--;
    retries++;
    return failed;
  }

  @Override
  public int retries() {
    return retries;
  }

  @Override
  public String primaryModelGroup() {
    return route.deployment().modelGroup();
  }
}
