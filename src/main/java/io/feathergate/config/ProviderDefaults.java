package io.feathergate.config;

import io.feathergate.core.Secret;
import java.net.URI;
import java.util.Map;

/**
 * What a deployment uses when its {@code litellm_params} leave a value out, read from the
 * environment as LiteLLM reads it: for {@code openai} {@code OPENAI_API_KEY}, {@code
 * OPENAI_BASE_URL} then {@code OPENAI_API_BASE}, {@code OPENAI_ORGANIZATION}; for {@code anthropic}
 * {@code ANTHROPIC_API_KEY}, {@code ANTHROPIC_BASE_URL} then {@code ANTHROPIC_API_BASE}; for {@code
 * gemini} {@code GEMINI_API_KEY}, {@code GEMINI_API_BASE}.
 *
 * @param apiKey the key, or null
 * @param apiBase the base URL, or null for the adapter's default
 * @param organization the organization (OpenAI only), or null
 */
record ProviderDefaults(Secret apiKey, URI apiBase, String organization) {
  static final ProviderDefaults NONE = new ProviderDefaults(null, null, null);

  /** Reads the defaults of every provider once per load; an unusable base URL warns once. */
  static Map<String, ProviderDefaults> read(EnvResolver env, Problems problems) {
    return Map.of(
        "openai",
        read(
            env,
            problems,
            "openai",
            "OPENAI_API_KEY",
            "OPENAI_ORGANIZATION",
            "OPENAI_BASE_URL",
            "OPENAI_API_BASE"),
        "anthropic",
        read(
            env,
            problems,
            "anthropic",
            "ANTHROPIC_API_KEY",
            null,
            "ANTHROPIC_BASE_URL",
            "ANTHROPIC_API_BASE"),
        "gemini",
        read(env, problems, "gemini", "GEMINI_API_KEY", null, "GEMINI_API_BASE"));
  }

  private static ProviderDefaults read(
      EnvResolver env,
      Problems problems,
      String provider,
      String keyName,
      String organizationName,
      String... baseNames) {
    URI apiBase = null;
    for (String name : baseNames) {
      String value = env.lookup(name);
      if (value != null) {
        apiBase = ApiBases.parseOrNull(value);
        if (apiBase == null) {
          problems.warn(
              "",
              "environment variable "
                  + name
                  + " is not an absolute http(s) URL; "
                  + provider
                  + " deployments without api_base use the provider's own endpoint");
        }
        break;
      }
    }
    return new ProviderDefaults(
        Secret.ofNullable(env.lookup(keyName)),
        apiBase,
        organizationName == null ? null : env.lookup(organizationName));
  }
}
