package io.feathergate.config;

import io.feathergate.core.Secret;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.ProviderTable;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a deployment uses when its {@code litellm_params} leave a value out, read from the
 * environment variables that each row of the {@link ProviderTable} names, as LiteLLM reads them
 * (for {@code openai}: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} then {@code
 * OPENAI_API_BASE}, {@code OPENAI_ORGANIZATION}).
 *
 * @param apiKey the key, or null
 * @param apiBase the base URL, or null for the provider's default
 * @param organization the organization, or null
 * @param headers headers the row names, with the values their environment variables give
 * @param settings provider settings the row names, with the values their environment variables give
 */
record ProviderDefaults(
    Secret apiKey,
    URI apiBase,
    String organization,
    Map<String, String> headers,
    Map<String, String> settings) {
  static final ProviderDefaults NONE = new ProviderDefaults(null, null, null, Map.of(), Map.of());

  ProviderDefaults {
    headers = Map.copyOf(headers);
    settings = Map.copyOf(settings);
  }

  /** Reads the defaults of every provider once per load; an unusable base URL warns once. */
  static Map<String, ProviderDefaults> read(EnvResolver env, Problems problems) {
    Map<String, ProviderDefaults> defaults = new HashMap<>();
    // rows may share a variable (openai and text-completion-openai read OPENAI_API_BASE)
    Set<String> warned = new HashSet<>();
    for (ProviderSpec row : ProviderTable.ROWS) {
      defaults.put(row.name(), read(env, problems, row, warned));
    }
    return Map.copyOf(defaults);
  }

  private static ProviderDefaults read(
      EnvResolver env, Problems problems, ProviderSpec row, Set<String> warned) {
    URI apiBase = null;
    for (String name : row.baseVariables()) {
      String value = env.lookup(name);
      if (value != null) {
        apiBase = ApiBases.parseOrNull(value);
        if (apiBase == null && warned.add(name)) {
          problems.warn(
              "",
              "environment variable "
                  + name
                  + " is not an absolute http(s) URL; "
                  + row.name()
                  + " deployments without api_base use the provider's own endpoint");
        }
        break;
      }
    }
    String key = null;
    for (String name : row.keyVariables()) {
      key = key == null ? env.lookup(name) : key;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    row.headerVariables()
        .forEach(
            (header, variable) -> {
              String value = env.lookup(variable);
              if (value != null && !value.isBlank() && value.indexOf('\n') < 0) {
                headers.put(header, value.strip());
              }
            });
    Map<String, String> settings = new LinkedHashMap<>();
    row.settingVariables()
        .forEach(
            (setting, variables) -> {
              for (String variable : variables) {
                String value = env.lookup(variable);
                if (value != null && !value.isBlank()) {
                  settings.put(setting, value);
                  break;
                }
              }
            });
    return new ProviderDefaults(
        Secret.ofNullable(key),
        apiBase,
        row.organizationVariable() == null ? null : env.lookup(row.organizationVariable()),
        headers,
        settings);
  }
}
