package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.events.GatewayListener;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each deployment's state from what the gateway has seen: the outcome of its last upstream attempt
 * (real traffic, and probes when background health checks are on) and its run of failures. One
 * tracker per deployment, made at startup, so recording takes no lock shared by all requests.
 */
public final class DeploymentHealth implements GatewayListener {
  /** Failures in a row after which a deployment counts as down, not merely degraded. */
  static final int OUTAGE_AFTER = 3;

  /** LiteLLM's {@code litellm_deployment_state} values. */
  public enum State {
    HEALTHY(0),
    PARTIAL_OUTAGE(1),
    OUTAGE(2);

    private final int gaugeValue;

    State(int gaugeValue) {
      this.gaugeValue = gaugeValue;
    }

    public int gaugeValue() {
      return gaugeValue;
    }
  }

  /**
   * What is known about one deployment.
   *
   * @param deployment the deployment
   * @param state its state
   * @param lastStatus the HTTP status of its last failure, or 0 when it has not failed
   * @param consecutiveFailures failures since its last success
   * @param lastCheckedEpochMillis when its last outcome was seen, or 0 for never
   * @param cooldownUntilEpochMillis when the router takes it back after a cooldown, or 0 when it is
   *     not cooling down
   */
  public record Status(
      Deployment deployment,
      State state,
      int lastStatus,
      int consecutiveFailures,
      long lastCheckedEpochMillis,
      long cooldownUntilEpochMillis) {

    /** Whether {@code /health} lists it as healthy: it has not failed since its last success. */
    public boolean healthy() {
      return state == State.HEALTHY;
    }
  }

  private static final class Tracker {
    final Deployment deployment;
    DeploymentCounters.Counter counter;
    final AtomicInteger consecutiveFailures = new AtomicInteger();
    volatile int lastStatus;
    volatile long lastCheckedEpochMillis;

    Tracker(Deployment deployment) {
      this.deployment = deployment;
    }
  }

  private final Map<String, Tracker> trackers = new HashMap<>();
  private final List<Tracker> inOrder = new ArrayList<>();
  private final Clock clock;

  public DeploymentHealth(List<Deployment> deployments, Clock clock) {
    this(deployments, clock, null);
  }

  /**
   * @param counters the router's counters, whose cooldowns make a deployment an outage while they
   *     last; null when there are none
   */
  public DeploymentHealth(List<Deployment> deployments, Clock clock, DeploymentCounters counters) {
    this.clock = clock;
    for (Deployment deployment : deployments) {
      Tracker tracker = new Tracker(deployment);
      tracker.counter = counters == null ? null : counters.counter(deployment);
      if (trackers.putIfAbsent(deployment.id(), tracker) == null) {
        inOrder.add(tracker);
      }
    }
  }

  @Override
  public void upstreamAttemptFinished(Deployment deployment, GatewayException failure) {
    record(deployment, failure);
  }

  /** Records an outcome: null for a success. */
  public void record(Deployment deployment, GatewayException failure) {
    Tracker tracker = trackers.get(deployment.id());
    if (tracker == null) {
      return;
    }
    // every request of a deployment records here: writing only what changed keeps the shared
    // fields from bouncing between the cores' caches on each success
    if (failure == null) {
      if (tracker.consecutiveFailures.get() != 0) {
        tracker.consecutiveFailures.set(0);
      }
      if (tracker.lastStatus != 0) {
        tracker.lastStatus = 0;
      }
    } else {
      tracker.consecutiveFailures.incrementAndGet();
      tracker.lastStatus = failure.status();
    }
    long now = clock.millis();
    if (tracker.lastCheckedEpochMillis != now) {
      tracker.lastCheckedEpochMillis = now;
    }
  }

  /** The state of one deployment; an unknown id counts as healthy. */
  public State state(Deployment deployment) {
    Tracker tracker = trackers.get(deployment.id());
    return tracker == null ? State.HEALTHY : stateOf(tracker, cooldownUntil(tracker));
  }

  /** Every deployment's status, in config order. */
  public List<Status> snapshot() {
    List<Status> all = new ArrayList<>(inOrder.size());
    for (Tracker tracker : inOrder) {
      long cooldownUntil = cooldownUntil(tracker);
      all.add(
          new Status(
              tracker.deployment,
              stateOf(tracker, cooldownUntil),
              tracker.lastStatus,
              tracker.consecutiveFailures.get(),
              tracker.lastCheckedEpochMillis,
              cooldownUntil));
    }
    return all;
  }

  private long cooldownUntil(Tracker tracker) {
    if (tracker.counter == null) {
      return 0;
    }
    long until = tracker.counter.cooldownUntil();
    return until > clock.millis() ? until : 0;
  }

  private static State stateOf(Tracker tracker, long cooldownUntil) {
    if (tracker.deployment.unavailableReason() != null || cooldownUntil != 0) {
      return State.OUTAGE;
    }
    int failures = tracker.consecutiveFailures.get();
    if (failures == 0) {
      return State.HEALTHY;
    }
    return failures >= OUTAGE_AFTER ? State.OUTAGE : State.PARTIAL_OUTAGE;
  }
}
