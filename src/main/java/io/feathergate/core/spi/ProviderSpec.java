package io.feathergate.core.spi;

import io.feathergate.core.Deployment;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row of the provider table: everything the gateway knows about a provider apart from the
 * translation code its protocol shares with others.
 *
 * @param name LiteLLM's provider prefix ({@code openai}, {@code groq}, ...), the key a deployment's
 *     {@code litellm_params.model} names
 * @param protocol the wire protocol, which picks the adapter: {@code openai} for every
 *     OpenAI-compatible provider, {@code anthropic}, {@code gemini}
 * @param defaultApiBase where calls go when a deployment sets no {@code api_base} and the
 *     environment names none
 * @param keyVariables environment variables holding the key, first set wins
 * @param baseVariables environment variables holding the base URL, first set wins
 * @param organizationVariable the environment variable holding the organization, or null
 * @param unsupportedParams OpenAI parameters this provider refuses: a 400 naming them, or dropped
 *     with {@code drop_params}
 * @param renamedParams OpenAI parameters this provider knows by another name
 */
public record ProviderSpec(
    String name,
    String protocol,
    URI defaultApiBase,
    List<String> keyVariables,
    List<String> baseVariables,
    String organizationVariable,
    Set<String> unsupportedParams,
    Map<String, String> renamedParams) {

  public ProviderSpec {
    keyVariables = List.copyOf(keyVariables);
    baseVariables = List.copyOf(baseVariables);
    unsupportedParams = Set.copyOf(unsupportedParams);
    renamedParams = Map.copyOf(renamedParams);
  }

  /** The deployment's own {@code api_base}, else this provider's default. */
  public URI apiBaseFor(Deployment deployment) {
    return deployment.apiBase() == null ? defaultApiBase : deployment.apiBase();
  }

  /** Whether requests need rewriting beyond the model name. */
  public boolean hasParamRules() {
    return !unsupportedParams.isEmpty() || !renamedParams.isEmpty();
  }
}
