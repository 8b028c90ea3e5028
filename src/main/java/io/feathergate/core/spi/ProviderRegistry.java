package io.feathergate.core.spi;

import io.feathergate.core.errors.GatewayException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The providers the gateway can route to, by provider key ({@code openai}, ...): each row of the
 * {@link ProviderTable} whose protocol has an adapter, with that adapter made for the row.
 */
public final class ProviderRegistry {
  private final Map<String, ProviderAdapter> adapters;

  public ProviderRegistry(Map<String, ProviderAdapter> adapters) {
    this.adapters = Map.copyOf(adapters);
  }

  /**
   * One adapter per row, made by the factory of the row's protocol; rows of a protocol without a
   * factory are left out (their deployments are reported as not supported).
   */
  public static ProviderRegistry of(
      List<ProviderSpec> rows, Map<String, Function<ProviderSpec, ProviderAdapter>> protocols) {
    Map<String, ProviderAdapter> adapters = new HashMap<>();
    for (ProviderSpec row : rows) {
      Function<ProviderSpec, ProviderAdapter> factory = protocols.get(row.protocol());
      if (factory != null) {
        adapters.put(row.name(), factory.apply(row));
      }
    }
    return new ProviderRegistry(adapters);
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
