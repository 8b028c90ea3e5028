package io.feathergate.core;

import java.util.Map;
import java.util.Set;

/** The provider adapters the gateway can route to, by provider key ({@code openai}, ...). */
public final class ProviderRegistry {
  private final Map<String, ProviderAdapter> adapters;

  public ProviderRegistry(Map<String, ProviderAdapter> adapters) {
    this.adapters = Map.copyOf(adapters);
  }

  public Set<String> providers() {
    return adapters.keySet();
  }

  /** The adapter for a provider key; config loading rejects deployments of unknown providers. */
  public ProviderAdapter adapter(String provider) {
    ProviderAdapter adapter = adapters.get(provider);
    if (adapter == null) {
      throw GatewayException.internal("No adapter for provider " + provider);
    }
    return adapter;
  }
}
