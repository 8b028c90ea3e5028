package io.feathergate.core.routing;

import io.feathergate.core.Deployment;

/**
 * What the router counts per deployment: calls in flight, requests and tokens in the current
 * minute, failures in it, and the end of a cooldown. Minutes are fixed windows ({@code epoch millis
 * / 60,000}), as LiteLLM counts them. In this process ({@link LocalDeploymentCounters}), or shared
 * by the replicas through Redis (the {@code redis} package).
 */
public interface DeploymentCounters {

  /** The counter of one deployment, looked up once when the router is built. */
  default Counter counter(Deployment deployment) {
    return counter(deployment.id());
  }

  /**
   * The counter named {@code id}: a deployment's id, or another scope counted the same way (a
   * virtual key's limits, as {@code key:<hash>}).
   */
  Counter counter(String id);

  /**
   * Whether a counter may wait on another process (the replicas' shared Redis) for up to its
   * timeout: then it is not asked from an I/O reactor thread.
   */
  default boolean remote() {
    return false;
  }

  /** One deployment's counts. Every method is safe from any thread and takes no lock. */
  interface Counter {
    /** Calls started and not yet ended. */
    int inFlight();

    /** Requests started in {@code minute}. */
    long requests(long minute);

    /** Tokens used in {@code minute}. */
    long tokens(long minute);

    /**
     * Starts a call if the deployment is under its limits: counts it in flight and as a request of
     * {@code minute}.
     *
     * @param rpm requests allowed per minute, 0 for no limit
     * @param maxParallel calls allowed in flight, 0 for no limit
     * @return false, counting nothing, when a limit is reached
     */
    default boolean tryAcquire(long minute, long rpm, int maxParallel) {
      return tryAcquire(minute, rpm, maxParallel, 0, 0);
    }

    /**
     * Starts a call if it is under its limits, and reserves its estimated tokens: the reservation
     * counts against {@code tpm} for every call after it, until the call ends and {@link
     * #addTokens} replaces it by what was used (so that concurrent calls cannot all pass a limit
     * none of them has yet counted against).
     *
     * @param tpm tokens allowed per minute, 0 for no limit: a call is refused once the minute's
     *     tokens (reservations included) reach it
     * @param reserveTokens tokens counted at once for the call, 0 for none
     * @return false, counting nothing, when a limit is reached
     */
    boolean tryAcquire(long minute, long rpm, int maxParallel, long tpm, long reserveTokens);

    /** Ends a call {@link #tryAcquire} started. */
    void release();

    /**
     * Adds the tokens of a finished call to {@code minute}; negative to give back what a call
     * reserved beyond its use. A minute's tokens never go below zero.
     */
    void addTokens(long minute, long tokens);

    /**
     * Counts the outcome of a call in {@code minute}.
     *
     * @return the failures and the calls of the minute so far, as {@code failures << 32 | calls}
     */
    long recordOutcome(long minute, boolean failed);

    /** When its cooldown ends, in epoch milliseconds; 0 or a past time when it is not cooling. */
    long cooldownUntil();

    /**
     * Cools it down until {@code epochMillis}, unless a later cooldown already runs (the later end
     * wins).
     *
     * @return whether a cooldown started: it was not cooling before
     */
    boolean coolDownUntil(long epochMillis, long nowMillis);
  }

  /** The failures of a {@link Counter#recordOutcome} result. */
  static int failures(long outcome) {
    return (int) (outcome >>> 32);
  }

  /** The calls of a {@link Counter#recordOutcome} result. */
  static int calls(long outcome) {
    return (int) outcome;
  }
}
