package io.feathergate.core;

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
 */
public record GatewaySettings(
    Secret masterKey,
    String masterKeyProblem,
    String customKeyHeader,
    long maxRequestBytes,
    boolean alwaysIncludeStreamUsage) {

  public static final long DEFAULT_MAX_REQUEST_BYTES = 32L * 1024 * 1024;

  public boolean authRequired() {
    return masterKey != null || masterKeyProblem != null;
  }
}
