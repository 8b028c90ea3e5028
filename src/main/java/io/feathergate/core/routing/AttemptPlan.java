package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.Route;
import java.util.Map;

/**
 * Where the attempts of one request go: the deployment of the first attempt, and after a failure
 * the deployment of the next one, if any, and how long to wait before it. The exchange asks; a plan
 * decides (the {@link Router}'s plans move to other deployments and groups). Used by one exchange,
 * from one thread at a time, but for {@link #attemptEnded}, which a client going away may call from
 * another.
 */
public interface AttemptPlan {
  /**
   * How often a request the upstream never received is sent again at once, on the same deployment,
   * beyond any retry: a connection that was closing can fail each call queued on it.
   */
  int NOT_SENT_RESENDS = 3;

  /**
   * The route of the first attempt.
   *
   * @throws GatewayException when no deployment can take the request (429 when all are cooling or
   *     at their limits)
   */
  Route first();

  /**
   * The route of the attempt after {@code failure} on {@code failed}, or null when the request
   * fails with it. Only asked while nothing has reached the client, after {@link #attemptEnded}.
   */
  Route next(Route failed, GatewayException failure);

  /**
   * Whether {@link #next} may wait on another process (the replicas' counters in Redis, for up to
   * its timeout): then the exchange does not ask it on an I/O reactor thread.
   */
  default boolean nextMayWait() {
    return false;
  }

  /** How long to wait before the attempt {@link #next} returned, in milliseconds. */
  default long delayMillis() {
    return 0;
  }

  /** The running attempt ended (answered, failed or cancelled): its deployment is free again. */
  default void attemptEnded() {}

  /** Attempts so far that were retries within a model group. */
  default int retries() {
    return 0;
  }

  /** Fallback model groups tried so far. */
  default int fallbacks() {
    return 0;
  }

  /** The routing headers of the attempt on {@code deployment} that this plan just named. */
  default Map<String, String> routingHeaders(Deployment deployment) {
    return RoutingHeaders.of(deployment, retries(), fallbacks());
  }

  /** The model group the request was first routed to, or null before that. */
  default String primaryModelGroup() {
    return null;
  }
}
