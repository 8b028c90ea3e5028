package io.feathergate.config;

import io.feathergate.core.Secret;
import java.net.URI;

/**
 * What an {@code openai} deployment uses when its {@code litellm_params} leave a value out, read
 * from the environment as LiteLLM reads it: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} then
 * {@code OPENAI_API_BASE}, {@code OPENAI_ORGANIZATION}.
 *
 * @param apiKey the key, or null
 * @param apiBase the base URL, or null for the adapter's default (https://api.openai.com/v1)
 * @param organization the organization, or null
 */
record OpenAiDefaults(Secret apiKey, URI apiBase, String organization) {
  static final String PROVIDER = "openai";

  /** Reads the defaults once per load; an unusable base URL warns once and is left out. */
  static OpenAiDefaults read(EnvResolver env, Problems problems) {
    URI apiBase = null;
    for (String name : new String[] {"OPENAI_BASE_URL", "OPENAI_API_BASE"}) {
      String value = env.lookup(name);
      if (value != null) {
        apiBase = ApiBases.parseOrNull(value);
        if (apiBase == null) {
          problems.warn(
              "",
              "environment variable "
                  + name
                  + " is not an absolute http(s) URL; openai deployments without api_base use"
                  + " https://api.openai.com/v1");
        }
        break;
      }
    }
    return new OpenAiDefaults(
        Secret.ofNullable(env.lookup("OPENAI_API_KEY")),
        apiBase,
        env.lookup("OPENAI_ORGANIZATION"));
  }
}
