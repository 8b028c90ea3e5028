package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.RoutingHints;
import io.feathergate.core.spi.Route;
import java.util.Map;

/**
 * One deployment as its group's router sees it: its limits, resolved once, its counter, and its
 * recent latency. Latency is a moving average that is forgotten after the strategy's TTL; it is
 * written by whichever request finished last, without a lock: a lost update among two at the same
 * instant changes nothing that matters to a pick.
 */
final class Member {
  /** How much of a new latency sample enters the average. */
  private static final double LATENCY_WEIGHT = 0.3;

  final Deployment deployment;
  final DeploymentCounters.Counter counter;

  /** The route to it when its group is not a wildcard: made once, not per request. */
  final Route route;

  /** Its routing headers for a request's first attempt: made once, not per request. */
  final Map<String, String> firstAttemptHeaders;

  /** Its place in its group, for the set of deployments a request already tried. */
  final int index;

  /** How many deployments its group has: a group of one is never cooled down. */
  final int groupSize;

  final long rpm;
  final long tpm;
  final int maxParallel;
  final long maxInputTokens;

  /** Its share under {@code simple-shuffle}, relative to the others of its tier. */
  double shuffleWeight;

  private volatile double latencyNanos;
  private volatile long latencyAtMillis;
  private volatile double firstTokenNanos;
  private volatile long firstTokenAtMillis;

  Member(
      Deployment deployment,
      DeploymentCounters.Counter counter,
      int index,
      int groupSize,
      int defaultParallel) {
    RoutingHints hints = deployment.routing();
    this.deployment = deployment;
    this.counter = counter;
    this.route = new Route(deployment, deployment.upstreamModel());
    this.firstAttemptHeaders = RoutingHeaders.of(deployment, 0, 0);
    this.index = index;
    this.groupSize = groupSize;
    this.rpm = hints.rpm();
    this.tpm = hints.tpm();
    this.maxParallel =
        hints.maxParallelRequests() > 0 ? hints.maxParallelRequests() : defaultParallel;
    this.maxInputTokens = hints.maxInputTokens();
  }

  /**
   * Whether it may take a call now: not cooling, under its request, token and parallel limits, and
   * with a context window that fits the prompt.
   *
   * @param promptTokens an estimate of the prompt's tokens, or 0 to not check context windows
   */
  boolean available(long nowMillis, long minute, long promptTokens) {
    return counter.cooldownUntil() <= nowMillis
        && (rpm <= 0 || counter.requests(minute) < rpm)
        && (tpm <= 0 || counter.tokens(minute) < tpm)
        && (maxParallel <= 0 || counter.inFlight() < maxParallel)
        && (promptTokens <= 0 || maxInputTokens <= 0 || promptTokens <= maxInputTokens);
  }

  /** Whether its window is too small for the prompt: no retry or wait will change that. */
  boolean tooSmallFor(long promptTokens) {
    return promptTokens > 0 && maxInputTokens > 0 && promptTokens > maxInputTokens;
  }

  void recordLatency(long nanos, long nowMillis, long ttlMillis) {
    latencyNanos = average(latencyNanos, latencyAtMillis, nanos, nowMillis, ttlMillis);
    latencyAtMillis = nowMillis;
  }

  void recordFirstToken(long nanos, long nowMillis, long ttlMillis) {
    firstTokenNanos = average(firstTokenNanos, firstTokenAtMillis, nanos, nowMillis, ttlMillis);
    firstTokenAtMillis = nowMillis;
  }

  /**
   * Its recent latency for a stream (time to first token) or a whole answer; 0 when it has none
   * within the TTL, which makes an unmeasured deployment the first to be tried.
   */
  double latency(boolean stream, long nowMillis, long ttlMillis) {
    if (stream) {
      return nowMillis - firstTokenAtMillis <= ttlMillis ? firstTokenNanos : 0;
    }
    return nowMillis - latencyAtMillis <= ttlMillis ? latencyNanos : 0;
  }

  private static double average(
      double average, long atMillis, long sample, long nowMillis, long ttlMillis) {
    if (atMillis == 0 || nowMillis - atMillis > ttlMillis) {
      return sample;
    }
    return average + LATENCY_WEIGHT * (sample - average);
  }
}
