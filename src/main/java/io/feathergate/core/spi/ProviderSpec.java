package io.feathergate.core.spi;

import io.feathergate.core.Deployment;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 *     OpenAI-compatible provider, {@code anthropic}, {@code gemini}, ...
 * @param defaultApiBase where calls go when a deployment sets no {@code api_base} and the
 *     environment names none; null when the provider has no public endpoint (a self-hosted server),
 *     so that every deployment must name one
 * @param keyVariables environment variables holding the key, first set wins
 * @param baseVariables environment variables holding the base URL, first set wins
 * @param organizationVariable the environment variable holding the organization, or null
 * @param unsupportedParams OpenAI parameters this provider refuses: a 400 naming them, or dropped
 *     with {@code drop_params}
 * @param renamedParams OpenAI parameters this provider knows by another name
 * @param quirks how an OpenAI-compatible provider departs from OpenAI's API otherwise
 * @param settingVariables provider settings ({@code litellm_params} keys such as {@code
 *     api_version}, {@code aws_region_name}) and the environment variables that give them when a
 *     deployment leaves them out, first set wins
 * @param headerVariables headers sent to this provider and the environment variable giving each
 *     value; a header whose variable is unset is not sent
 */
public record ProviderSpec(
    String name,
    String protocol,
    URI defaultApiBase,
    List<String> keyVariables,
    List<String> baseVariables,
    String organizationVariable,
    Set<String> unsupportedParams,
    Map<String, String> renamedParams,
    Set<ProviderQuirk> quirks,
    Map<String, List<String>> settingVariables,
    Map<String, String> headerVariables) {

  public ProviderSpec {
    keyVariables = List.copyOf(keyVariables);
    baseVariables = List.copyOf(baseVariables);
    unsupportedParams = Set.copyOf(unsupportedParams);
    renamedParams = Map.copyOf(renamedParams);
    quirks = quirks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(quirks));
    Map<String, List<String>> settings = new LinkedHashMap<>();
    settingVariables.forEach((key, variables) -> settings.put(key, List.copyOf(variables)));
    settingVariables = Map.copyOf(settings);
    headerVariables = Map.copyOf(headerVariables);
  }

  /** A row without quirks, settings or headers of its own. */
  public ProviderSpec(
      String name,
      String protocol,
      URI defaultApiBase,
      List<String> keyVariables,
      List<String> baseVariables,
      String organizationVariable,
      Set<String> unsupportedParams,
      Map<String, String> renamedParams) {
    this(
        name,
        protocol,
        defaultApiBase,
        keyVariables,
        baseVariables,
        organizationVariable,
        unsupportedParams,
        renamedParams,
        Set.of(),
        Map.of(),
        Map.of());
  }

  /** A row to fill in by name: {@code ProviderSpec.row("groq", "openai").base(...)...build()}. */
  public static Builder row(String name, String protocol) {
    return new Builder(name, protocol);
  }

  /**
   * The deployment's own {@code api_base}, else this provider's default; null when neither is set
   * (configuration refuses such a deployment of a provider without a default).
   */
  public URI apiBaseFor(Deployment deployment) {
    return deployment.apiBase() == null ? defaultApiBase : deployment.apiBase();
  }

  /** Whether requests need rewriting beyond the model name. */
  public boolean hasParamRules() {
    return !unsupportedParams.isEmpty() || !renamedParams.isEmpty() || !quirks.isEmpty();
  }

  public boolean has(ProviderQuirk quirk) {
    return quirks.contains(quirk);
  }

  /** Fills in a {@link ProviderSpec} by name rather than by position. */
  public static final class Builder {
    private final String name;
    private final String protocol;
    private URI defaultApiBase;
    private List<String> keyVariables = List.of();
    private List<String> baseVariables = List.of();
    private String organizationVariable;
    private final Set<String> unsupportedParams = new HashSet<>();
    private final Map<String, String> renamedParams = new LinkedHashMap<>();
    private final Set<ProviderQuirk> quirks = EnumSet.noneOf(ProviderQuirk.class);
    private final Map<String, List<String>> settingVariables = new LinkedHashMap<>();
    private final Map<String, String> headerVariables = new LinkedHashMap<>();

    private Builder(String name, String protocol) {
      this.name = name;
      this.protocol = protocol;
    }

    /** The public endpoint; without one, every deployment must name its {@code api_base}. */
    public Builder base(String url) {
      this.defaultApiBase = URI.create(url);
      return this;
    }

    public Builder keys(String... variables) {
      this.keyVariables = List.of(variables);
      return this;
    }

    public Builder bases(String... variables) {
      this.baseVariables = List.of(variables);
      return this;
    }

    public Builder organization(String variable) {
      this.organizationVariable = variable;
      return this;
    }

    /** OpenAI parameters the provider refuses. */
    public Builder refuses(String... params) {
      unsupportedParams.addAll(Arrays.asList(params));
      return this;
    }

    /** The only OpenAI parameters the provider honours; every other one is refused. */
    public Builder allowsOnly(String... params) {
      Set<String> refused = new HashSet<>(UnsupportedParams.OPENAI_CHAT_PARAMS);
      refused.removeAll(Arrays.asList(params));
      refused.removeAll(List.of("model", "messages", "stream"));
      unsupportedParams.addAll(refused);
      return this;
    }

    public Builder renames(String openAiName, String providerName) {
      renamedParams.put(openAiName, providerName);
      return this;
    }

    /** {@code max_completion_tokens} is called {@code max_tokens}, as most providers call it. */
    public Builder maxTokensOnly() {
      return renames("max_completion_tokens", "max_tokens");
    }

    public Builder quirks(ProviderQuirk... values) {
      quirks.addAll(Arrays.asList(values));
      return this;
    }

    public Builder setting(String key, String... variables) {
      settingVariables.put(key, new ArrayList<>(Arrays.asList(variables)));
      return this;
    }

    public Builder header(String header, String variable) {
      headerVariables.put(header, variable);
      return this;
    }

    public ProviderSpec build() {
      return new ProviderSpec(
          name,
          protocol,
          defaultApiBase,
          keyVariables,
          baseVariables,
          organizationVariable,
          unsupportedParams,
          renamedParams,
          quirks,
          settingVariables,
          headerVariables);
    }
  }
}
