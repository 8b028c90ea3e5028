package io.feathergate.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the router picks, retries, falls back and cools down: {@code router_settings}, with the
 * legacy keys of {@code litellm_settings} where {@code router_settings} does not set them.
 *
 * @param strategy {@code routing_strategy}
 * @param latencyTtl {@code routing_strategy_args.ttl}: how long a latency sample counts
 * @param lowestLatencyBuffer {@code routing_strategy_args.lowest_latency_buffer}: deployments
 *     within this fraction of the lowest latency share the traffic
 * @param numRetries {@code num_retries}, or null when the config does not set it (each deployment's
 *     {@code max_retries} then applies)
 * @param retryAfter {@code retry_after}: the least wait before a retry
 * @param retryPolicy {@code retry_policy}: retries per error class, overriding {@code num_retries}
 * @param groupRetryPolicies {@code model_group_retry_policy}: a retry policy per model group
 * @param fallbacks {@code fallbacks}: the groups to try, in order, after a group failed
 * @param contextWindowFallbacks {@code context_window_fallbacks}: the same, for prompts too long
 * @param contentPolicyFallbacks {@code content_policy_fallbacks}: the same, for refused content
 * @param defaultFallbacks {@code default_fallbacks}: for groups without an entry in {@code
 *     fallbacks}
 * @param maxFallbacks {@code max_fallbacks}: how many fallback groups one request may try
 * @param allowedFails {@code allowed_fails}: failures a deployment may have in a minute before it
 *     cools down, or null for LiteLLM's default rule (more than half of its calls)
 * @param allowedFailsPolicy {@code allowed_fails_policy}: the same per error class
 * @param cooldownTime {@code cooldown_time}
 * @param disableCooldowns {@code disable_cooldowns}
 * @param aliases {@code model_group_alias}: names that stand for a model group
 * @param enablePreCallChecks {@code enable_pre_call_checks}: skip deployments whose context window
 *     is smaller than the prompt
 * @param defaultMaxParallelRequests {@code default_max_parallel_requests}: the parallel limit of
 *     deployments that set none; 0 for no limit
 */
public record RouterSettings(
    RoutingStrategy strategy,
    Duration latencyTtl,
    double lowestLatencyBuffer,
    Integer numRetries,
    Duration retryAfter,
    RetryPolicy retryPolicy,
    Map<String, RetryPolicy> groupRetryPolicies,
    Map<String, List<String>> fallbacks,
    Map<String, List<String>> contextWindowFallbacks,
    Map<String, List<String>> contentPolicyFallbacks,
    List<String> defaultFallbacks,
    int maxFallbacks,
    Integer allowedFails,
    Map<ErrorClass, Integer> allowedFailsPolicy,
    Duration cooldownTime,
    boolean disableCooldowns,
    Map<String, Alias> aliases,
    boolean enablePreCallChecks,
    int defaultMaxParallelRequests) {

  /** LiteLLM's {@code DEFAULT_COOLDOWN_TIME_SECONDS}. */
  public static final Duration DEFAULT_COOLDOWN_TIME = Duration.ofSeconds(5);

  /** LiteLLM's {@code ROUTER_MAX_FALLBACKS}. */
  public static final int DEFAULT_MAX_FALLBACKS = 5;

  /** LiteLLM's default {@code routing_strategy_args.ttl}: an hour. */
  public static final Duration DEFAULT_LATENCY_TTL = Duration.ofHours(1);

  public RouterSettings {
    groupRetryPolicies = Map.copyOf(groupRetryPolicies);
    fallbacks = Map.copyOf(fallbacks);
    contextWindowFallbacks = Map.copyOf(contextWindowFallbacks);
    contentPolicyFallbacks = Map.copyOf(contentPolicyFallbacks);
    defaultFallbacks = List.copyOf(defaultFallbacks);
    allowedFailsPolicy = Map.copyOf(allowedFailsPolicy);
    aliases = Map.copyOf(aliases);
  }

  /** {@code routing_strategy} values. */
  public enum RoutingStrategy {
    SIMPLE_SHUFFLE("simple-shuffle"),
    LEAST_BUSY("least-busy"),
    LATENCY_BASED("latency-based-routing"),
    USAGE_BASED("usage-based-routing-v2");

    private final String configName;

    RoutingStrategy(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }

  /** The error classes of {@code retry_policy} and {@code allowed_fails_policy}. */
  public enum ErrorClass {
    BAD_REQUEST("BadRequestError"),
    AUTHENTICATION("AuthenticationError"),
    TIMEOUT("TimeoutError"),
    RATE_LIMIT("RateLimitError"),
    CONTENT_POLICY_VIOLATION("ContentPolicyViolationError"),
    INTERNAL_SERVER("InternalServerError");

    private final String prefix;

    ErrorClass(String prefix) {
      this.prefix = prefix;
    }

    /** The config's name of this class: {@code BadRequestError}, ... */
    public String prefix() {
      return prefix;
    }
  }

  /**
   * Retries per error class; a class it does not name follows {@code num_retries}.
   *
   * @param retries by class
   */
  public record RetryPolicy(Map<ErrorClass, Integer> retries) {
    public static final RetryPolicy NONE = new RetryPolicy(Map.of());

    public RetryPolicy {
      retries = Map.copyOf(retries);
    }
  }

  /**
   * A {@code model_group_alias} entry.
   *
   * @param modelGroup the group it stands for
   * @param hidden whether {@code /v1/models} leaves it out
   */
  public record Alias(String modelGroup, boolean hidden) {}

  /** The settings of a config that sets none: simple-shuffle, no fallbacks, LiteLLM's defaults. */
  public static RouterSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to make ones that differ in a few. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.strategy = strategy;
    builder.latencyTtl = latencyTtl;
    builder.lowestLatencyBuffer = lowestLatencyBuffer;
    builder.numRetries = numRetries;
    builder.retryAfter = retryAfter;
    builder.retryPolicy = retryPolicy;
    builder.groupRetryPolicies = groupRetryPolicies;
    builder.fallbacks = fallbacks;
    builder.contextWindowFallbacks = contextWindowFallbacks;
    builder.contentPolicyFallbacks = contentPolicyFallbacks;
    builder.defaultFallbacks = defaultFallbacks;
    builder.maxFallbacks = maxFallbacks;
    builder.allowedFails = allowedFails;
    builder.allowedFailsPolicy = allowedFailsPolicy;
    builder.cooldownTime = cooldownTime;
    builder.disableCooldowns = disableCooldowns;
    builder.aliases = aliases;
    builder.enablePreCallChecks = enablePreCallChecks;
    builder.defaultMaxParallelRequests = defaultMaxParallelRequests;
    return builder;
  }

  /** Builds {@link RouterSettings} by name; see the record's fields. */
  public static final class Builder {
    private RoutingStrategy strategy = RoutingStrategy.SIMPLE_SHUFFLE;
    private Duration latencyTtl = DEFAULT_LATENCY_TTL;
    private double lowestLatencyBuffer = 0;
    private Integer numRetries = null;
    private Duration retryAfter = Duration.ZERO;
    private RetryPolicy retryPolicy = RetryPolicy.NONE;
    private Map<String, RetryPolicy> groupRetryPolicies = Map.of();
    private Map<String, List<String>> fallbacks = Map.of();
    private Map<String, List<String>> contextWindowFallbacks = Map.of();
    private Map<String, List<String>> contentPolicyFallbacks = Map.of();
    private List<String> defaultFallbacks = List.of();
    private int maxFallbacks = DEFAULT_MAX_FALLBACKS;
    private Integer allowedFails = null;
    private Map<ErrorClass, Integer> allowedFailsPolicy = Map.of();
    private Duration cooldownTime = DEFAULT_COOLDOWN_TIME;
    private boolean disableCooldowns = false;
    private Map<String, Alias> aliases = Map.of();
    private boolean enablePreCallChecks = false;
    private int defaultMaxParallelRequests = 0;

    private Builder() {}

    public Builder strategy(RoutingStrategy value) {
      this.strategy = value;
      return this;
    }

    public Builder latencyTtl(Duration value) {
      this.latencyTtl = value;
      return this;
    }

    public Builder lowestLatencyBuffer(double value) {
      this.lowestLatencyBuffer = value;
      return this;
    }

    public Builder numRetries(Integer value) {
      this.numRetries = value;
      return this;
    }

    public Builder retryAfter(Duration value) {
      this.retryAfter = value;
      return this;
    }

    public Builder retryPolicy(RetryPolicy value) {
      this.retryPolicy = value;
      return this;
    }

    public Builder groupRetryPolicies(Map<String, RetryPolicy> value) {
      this.groupRetryPolicies = value;
      return this;
    }

    public Builder fallbacks(Map<String, List<String>> value) {
      this.fallbacks = value;
      return this;
    }

    public Builder contextWindowFallbacks(Map<String, List<String>> value) {
      this.contextWindowFallbacks = value;
      return this;
    }

    public Builder contentPolicyFallbacks(Map<String, List<String>> value) {
      this.contentPolicyFallbacks = value;
      return this;
    }

    public Builder defaultFallbacks(List<String> value) {
      this.defaultFallbacks = value;
      return this;
    }

    public Builder maxFallbacks(int value) {
      this.maxFallbacks = value;
      return this;
    }

    public Builder allowedFails(Integer value) {
      this.allowedFails = value;
      return this;
    }

    public Builder allowedFailsPolicy(Map<ErrorClass, Integer> value) {
      this.allowedFailsPolicy = value;
      return this;
    }

    public Builder cooldownTime(Duration value) {
      this.cooldownTime = value;
      return this;
    }

    public Builder disableCooldowns(boolean value) {
      this.disableCooldowns = value;
      return this;
    }

    public Builder aliases(Map<String, Alias> value) {
      this.aliases = value;
      return this;
    }

    public Builder enablePreCallChecks(boolean value) {
      this.enablePreCallChecks = value;
      return this;
    }

    public Builder defaultMaxParallelRequests(int value) {
      this.defaultMaxParallelRequests = value;
      return this;
    }

    public RouterSettings build() {
      return new RouterSettings(
          strategy,
          latencyTtl,
          lowestLatencyBuffer,
          numRetries,
          retryAfter,
          retryPolicy,
          groupRetryPolicies,
          fallbacks,
          contextWindowFallbacks,
          contentPolicyFallbacks,
          defaultFallbacks,
          maxFallbacks,
          allowedFails,
          allowedFailsPolicy,
          cooldownTime,
          disableCooldowns,
          aliases,
          enablePreCallChecks,
          defaultMaxParallelRequests);
    }
  }
}
