package io.feathergate.core.exchange;

import io.feathergate.core.Deployment;
import io.feathergate.core.DeploymentNames;
import io.feathergate.core.routing.AttemptPlan;
import io.feathergate.core.spi.ProviderTable;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * LiteLLM's {@code x-litellm-*} response headers, on answers and errors alike: which deployment of
 * which group served, at which base URL, after how many retries and fallbacks, and how long the
 * request took in all and in the gateway itself.
 */
final class GatewayHeaders {
  static final String MODEL_ID = "x-litellm-model-id";
  static final String MODEL_GROUP = "x-litellm-model-group";
  static final String API_BASE = "x-litellm-model-api-base";
  static final String RETRIES = "x-litellm-attempted-retries";
  static final String FALLBACKS = "x-litellm-attempted-fallbacks";
  static final String RESPONSE_DURATION = "x-litellm-response-duration-ms";
  static final String OVERHEAD_DURATION = "x-litellm-overhead-duration-ms";

  private static final long NANOS_PER_MILLI = 1_000_000;

  private GatewayHeaders() {}

  /** The routing headers of an attempt on {@code deployment}. */
  static Map<String, String> of(Deployment deployment, AttemptPlan plan) {
    String apiBase = apiBase(deployment);
    String retries = Integer.toString(plan.retries());
    String fallbacks = Integer.toString(plan.fallbacks());
    return apiBase == null
        ? Map.of(
            MODEL_ID,
            deployment.id(),
            MODEL_GROUP,
            deployment.modelGroup(),
            RETRIES,
            retries,
            FALLBACKS,
            fallbacks)
        : Map.of(
            MODEL_ID, deployment.id(),
            MODEL_GROUP, deployment.modelGroup(),
            API_BASE, apiBase,
            RETRIES, retries,
            FALLBACKS, fallbacks);
  }

  /** {@code headers} with the durations, in milliseconds with three decimals as LiteLLM sends. */
  static Map<String, String> withDurations(
      Map<String, String> headers, long responseNanos, long overheadNanos) {
    Map<String, String> all = new HashMap<>(headers.size() * 2 + 4);
    all.putAll(headers);
    all.put(RESPONSE_DURATION, millis(responseNanos));
    all.put(OVERHEAD_DURATION, millis(Math.max(0, overheadNanos)));
    return all;
  }

  private static String millis(long nanos) {
    return Double.toString(Math.round(nanos / (double) NANOS_PER_MILLI * 1000) / 1000.0);
  }

  /** The base URL calls go to, without anything that could carry a credential; null if none. */
  private static String apiBase(Deployment deployment) {
    String configured = DeploymentNames.apiBase(deployment);
    if (configured != null) {
      return configured;
    }
    try {
      URI base = ProviderTable.get(deployment.provider()).defaultApiBase();
      return base == null ? null : base.toString();
    } catch (IllegalArgumentException e) {
      return null; // a provider without a row has no default base
    }
  }
}
