package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.DeploymentNames;
import io.feathergate.core.spi.ProviderTable;
import java.net.URI;
import java.util.Map;

/**
 * LiteLLM's routing response headers: which deployment of which group served, at which base URL,
 * after how many retries and fallbacks. A deployment's headers for a first attempt are made once
 * ({@link Member}); only retries and fallbacks make new ones.
 */
public final class RoutingHeaders {
  public static final String MODEL_ID = "x-litellm-model-id";
  public static final String MODEL_GROUP = "x-litellm-model-group";
  public static final String API_BASE = "x-litellm-model-api-base";
  public static final String RETRIES = "x-litellm-attempted-retries";
  public static final String FALLBACKS = "x-litellm-attempted-fallbacks";

  private RoutingHeaders() {}

  /** The headers of an attempt on {@code deployment} after this many retries and fallbacks. */
  public static Map<String, String> of(Deployment deployment, int retries, int fallbacks) {
    String apiBase = apiBase(deployment);
    String retriesText = Integer.toString(retries);
    String fallbacksText = Integer.toString(fallbacks);
    return apiBase == null
        ? Map.of(
            MODEL_ID,
            deployment.id(),
            MODEL_GROUP,
            deployment.modelGroup(),
            RETRIES,
            retriesText,
            FALLBACKS,
            fallbacksText)
        : Map.of(
            MODEL_ID, deployment.id(),
            MODEL_GROUP, deployment.modelGroup(),
            API_BASE, apiBase,
            RETRIES, retriesText,
            FALLBACKS, fallbacksText);
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
