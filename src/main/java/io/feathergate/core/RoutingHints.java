package io.feathergate.core;

import java.time.Duration;

/**
 * What the router needs to know about one deployment, from its {@code litellm_params} (or beside
 * them, for {@code rpm}/{@code tpm}) and {@code model_info}. Zero or null means "not set".
 *
 * @param weight {@code weight}: its share of a group's traffic under {@code simple-shuffle}; 0 when
 *     unset
 * @param rpm {@code rpm}: requests it may take per minute; 0 for no limit
 * @param tpm {@code tpm}: tokens it may take per minute; 0 for no limit
 * @param maxParallelRequests {@code max_parallel_requests}: calls it may have in flight at once; 0
 *     for no limit (or the router's {@code default_max_parallel_requests})
 * @param order {@code order}: its tier, lowest first; 0 when unset, which sorts after every set
 *     tier
 * @param numRetries {@code num_retries} of this deployment, or null to follow the router
 * @param cooldownTime {@code cooldown_time} of this deployment, or null to follow the router
 * @param maxInputTokens {@code model_info.max_input_tokens}, or 0 when unknown
 */
public record RoutingHints(
    double weight,
    long rpm,
    long tpm,
    int maxParallelRequests,
    int order,
    Integer numRetries,
    Duration cooldownTime,
    long maxInputTokens) {

  /** A deployment that says nothing about routing. */
  public static final RoutingHints NONE = new RoutingHints(0, 0, 0, 0, 0, null, null, 0);

  public RoutingHints withWeight(double value) {
    return new RoutingHints(
        value, rpm, tpm, maxParallelRequests, order, numRetries, cooldownTime, maxInputTokens);
  }

  public RoutingHints withRpm(long value) {
    return new RoutingHints(
        weight, value, tpm, maxParallelRequests, order, numRetries, cooldownTime, maxInputTokens);
  }

  public RoutingHints withTpm(long value) {
    return new RoutingHints(
        weight, rpm, value, maxParallelRequests, order, numRetries, cooldownTime, maxInputTokens);
  }

  public RoutingHints withMaxParallelRequests(int value) {
    return new RoutingHints(
        weight, rpm, tpm, value, order, numRetries, cooldownTime, maxInputTokens);
  }

  public RoutingHints withOrder(int value) {
    return new RoutingHints(
        weight, rpm, tpm, maxParallelRequests, value, numRetries, cooldownTime, maxInputTokens);
  }

  public RoutingHints withNumRetries(Integer value) {
    return new RoutingHints(
        weight, rpm, tpm, maxParallelRequests, order, value, cooldownTime, maxInputTokens);
  }

  public RoutingHints withCooldownTime(Duration value) {
    return new RoutingHints(
        weight, rpm, tpm, maxParallelRequests, order, numRetries, value, maxInputTokens);
  }

  public RoutingHints withMaxInputTokens(long value) {
    return new RoutingHints(
        weight, rpm, tpm, maxParallelRequests, order, numRetries, cooldownTime, value);
  }
}
