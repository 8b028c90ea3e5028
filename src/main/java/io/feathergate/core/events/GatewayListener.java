package io.feathergate.core.events;

import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;

/**
 * Hears what happens to requests, in the style of OkHttp's {@code EventListener}: called on the
 * request path, so implementations are fast, never block and never throw. Metrics, the access log,
 * the live feed and deployment health all listen here; core knows none of them.
 */
public interface GatewayListener {
  /** Listens to nothing. */
  GatewayListener NONE = new GatewayListener() {};

  /** A chat request has arrived (before it is parsed). */
  default void requestStarted() {}

  /**
   * One upstream attempt on a deployment ended, before any retry.
   *
   * @param failure why it failed, or null when the deployment answered successfully
   */
  default void upstreamAttemptFinished(Deployment deployment, GatewayException failure) {}

  /**
   * The router took a deployment out of its group's rotation for its cooldown.
   *
   * @param status the status of the failure that caused it
   */
  default void deploymentCooledDown(Deployment deployment, int status) {}

  /** A request is over: answered, failed, or abandoned by its client. Called once per request. */
  default void requestFinished(RequestRecord record) {}
}
