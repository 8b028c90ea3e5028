package io.feathergate.core;

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
    boolean prometheusMetrics) {

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
    return new GatewaySettings(
        masterKey,
        masterKeyProblem,
        customKeyHeader,
        maxRequestBytes,
        alwaysIncludeStreamUsage,
        backgroundHealthChecks,
        healthCheckInterval,
        requestBodyTimeout,
        on);
  }

  public boolean authRequired() {
    return masterKey != null || masterKeyProblem != null;
  }
}
