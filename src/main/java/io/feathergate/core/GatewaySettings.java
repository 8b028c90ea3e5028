package io.feathergate.core;

import io.feathergate.core.exchange.ClientCredentials;
import java.time.Duration;

/**
 * Gateway-wide settings from {@code general_settings} and {@code litellm_settings}.
 *
 * @param masterKey the key every protected route requires, or null for an open gateway
 * @param masterKeyProblem why a configured master key could not be resolved (auth then fails
 *     closed), or null
 * @param customKeyHeader {@code litellm_key_header_name}: one more header that may carry the key,
 *     or null
 * @param maxRequestBytes the largest request body accepted ({@code max_request_size_mb})
 * @param alwaysIncludeStreamUsage {@code always_include_stream_usage}: add the usage chunk to every
 *     stream
 * @param backgroundHealthChecks {@code background_health_checks}: probe every deployment with a
 *     real minimal call
 * @param healthCheckInterval {@code health_check_interval}: the time between two rounds of probes
 * @param requestBodyTimeout {@code request_body_timeout}: how long a request body may stay silent
 *     while it arrives before the request is answered 408
 * @param prometheusMetrics whether {@code litellm_settings.callbacks} (or {@code success_callback}
 *     or {@code failure_callback}) names {@code prometheus}: LiteLLM's request metrics on {@code
 *     /metrics}
 * @param allowClientSideCredentials {@code allow_client_side_credentials}: accept the request body
 *     fields in {@link ClientCredentials#FIELDS} instead of refusing them
 * @param liveFeedMaxSubscribers {@code live_feed_max_subscribers}: how many clients may follow
 *     {@code /admin/events} at once
 * @param database where virtual keys and spend are kept
 * @param redis the Redis replicas share their limits, cooldowns and key changes through, or null
 *     for a gateway that keeps them in its own process
 * @param cache the response cache ({@link CacheSettings#OFF} unless configured)
 */
public record GatewaySettings(
    Secret masterKey,
    String masterKeyProblem,
    String customKeyHeader,
    long maxRequestBytes,
    boolean alwaysIncludeStreamUsage,
    boolean backgroundHealthChecks,
    Duration healthCheckInterval,
    Duration requestBodyTimeout,
    boolean prometheusMetrics,
    boolean allowClientSideCredentials,
    int liveFeedMaxSubscribers,
    DatabaseSettings database,
    RedisSettings redis,
    CacheSettings cache) {

  /** Subscribers of the live feed at once, unless {@code live_feed_max_subscribers} says. */
  public static final int DEFAULT_LIVE_FEED_MAX_SUBSCRIBERS = 8;

  public static final long DEFAULT_MAX_REQUEST_BYTES = 32L * 1024 * 1024;

  /** LiteLLM's default {@code health_check_interval}. */
  public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(300);

  /**
   * Long enough for any client that is still sending, short enough that a client which stopped
   * mid-body learns it within the timeouts HTTP clients use by default.
   */
  public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);

  /** The same settings with LiteLLM's Prometheus callback on or off. */
  public GatewaySettings withPrometheusMetrics(boolean on) {
    return toBuilder().prometheusMetrics(on).build();
  }

  public boolean authRequired() {
    return masterKey != null || masterKeyProblem != null;
  }

  /** The settings of a config that sets none: an open gateway with every default. */
  public static GatewaySettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to make ones that differ in a few. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.masterKey = masterKey;
    builder.masterKeyProblem = masterKeyProblem;
    builder.customKeyHeader = customKeyHeader;
    builder.maxRequestBytes = maxRequestBytes;
    builder.alwaysIncludeStreamUsage = alwaysIncludeStreamUsage;
    builder.backgroundHealthChecks = backgroundHealthChecks;
    builder.healthCheckInterval = healthCheckInterval;
    builder.requestBodyTimeout = requestBodyTimeout;
    builder.prometheusMetrics = prometheusMetrics;
    builder.allowClientSideCredentials = allowClientSideCredentials;
    builder.liveFeedMaxSubscribers = liveFeedMaxSubscribers;
    builder.database = database;
    builder.redis = redis;
    builder.cache = cache;
    return builder;
  }

  /** Builds {@link GatewaySettings} by name rather than by position; see the record's fields. */
  public static final class Builder {
    private Secret masterKey;
    private String masterKeyProblem;
    private String customKeyHeader;
    private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private boolean alwaysIncludeStreamUsage;
    private boolean backgroundHealthChecks;
    private Duration healthCheckInterval = DEFAULT_HEALTH_CHECK_INTERVAL;
    private Duration requestBodyTimeout = DEFAULT_REQUEST_BODY_TIMEOUT;
    private boolean prometheusMetrics;
    private boolean allowClientSideCredentials;
    private int liveFeedMaxSubscribers = DEFAULT_LIVE_FEED_MAX_SUBSCRIBERS;
    private DatabaseSettings database = DatabaseSettings.DEFAULTS;
    private RedisSettings redis;
    private CacheSettings cache = CacheSettings.OFF;

    private Builder() {}

    public Builder masterKey(Secret value) {
      this.masterKey = value;
      return this;
    }

    public Builder masterKeyProblem(String value) {
      this.masterKeyProblem = value;
      return this;
    }

    public Builder customKeyHeader(String value) {
      this.customKeyHeader = value;
      return this;
    }

    public Builder maxRequestBytes(long value) {
      this.maxRequestBytes = value;
      return this;
    }

    public Builder alwaysIncludeStreamUsage(boolean value) {
      this.alwaysIncludeStreamUsage = value;
      return this;
    }

    public Builder backgroundHealthChecks(boolean value) {
      this.backgroundHealthChecks = value;
      return this;
    }

    public Builder healthCheckInterval(Duration value) {
      this.healthCheckInterval = value;
      return this;
    }

    public Builder requestBodyTimeout(Duration value) {
      this.requestBodyTimeout = value;
      return this;
    }

    public Builder prometheusMetrics(boolean value) {
      this.prometheusMetrics = value;
      return this;
    }

    public Builder allowClientSideCredentials(boolean value) {
      this.allowClientSideCredentials = value;
      return this;
    }

    public Builder liveFeedMaxSubscribers(int value) {
      this.liveFeedMaxSubscribers = value;
      return this;
    }

    public Builder database(DatabaseSettings value) {
      this.database = value;
      return this;
    }

    public Builder cache(CacheSettings value) {
      this.cache = value;
      return this;
    }

    public Builder redis(RedisSettings value) {
      this.redis = value;
      return this;
    }

    public GatewaySettings build() {
      return new GatewaySettings(
          masterKey,
          masterKeyProblem,
          customKeyHeader,
          maxRequestBytes,
          alwaysIncludeStreamUsage,
          backgroundHealthChecks,
          healthCheckInterval,
          requestBodyTimeout,
          prometheusMetrics,
          allowClientSideCredentials,
          liveFeedMaxSubscribers,
          database,
          redis,
          cache);
    }
  }
}
