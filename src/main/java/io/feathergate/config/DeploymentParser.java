package io.feathergate.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.config.EnvResolver.Resolved;
import io.feathergate.config.EnvResolver.UnsetVariable;
import io.feathergate.core.Deployment;
import io.feathergate.core.Http2Policy;
import io.feathergate.core.RoutingHints;
import io.feathergate.core.Secret;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.wire.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns {@code model_list} entries into deployments. A broken entry is skipped with one error that
 * names its YAML path (LiteLLM's {@code ignore_invalid_deployments}), and the others still load.
 */
final class DeploymentParser {
  static final String SECTION = "model_list";

  /** {@code tpm}/{@code rpm} beside {@code litellm_params} is load_balancer.yaml's shape. */
  private static final KeyRules ENTRY_KEYS =
      new KeyRules().accept("model_name", "litellm_params", "model_info", "tpm", "rpm");

  /**
   * {@code model_info} is free-form metadata in LiteLLM ({@code mode}, {@code base_model}, prices,
   * capability flags) and is accepted as such; only these keys change which requests a deployment
   * serves there, so ignoring them deserves a warning.
   */
  private static final Set<String> MODEL_INFO_NOT_HONOURED =
      Set.of("supported_environments", "access_groups");

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final EnvResolver env;
  private final Set<String> supportedProviders;
  private final TimeoutDefaults timeouts;
  private final Map<String, ProviderDefaults> providerDefaults;
  private final boolean dropParamsDefault;
  private final boolean skipEntriesWithUnsetVariables;
  private final Problems problems;
  private final DeploymentIds ids = new DeploymentIds();

  /**
   * @param skipEntriesWithUnsetVariables leave out, without an error, every entry that refers to an
   *     unset variable (the built-in default offers some models only when their key is set)
   */
  DeploymentParser(
      EnvResolver env,
      Set<String> supportedProviders,
      TimeoutDefaults timeouts,
      Map<String, ProviderDefaults> providerDefaults,
      boolean dropParamsDefault,
      boolean skipEntriesWithUnsetVariables,
      Problems problems) {
    this.env = env;
    this.supportedProviders = supportedProviders;
    this.timeouts = timeouts;
    this.providerDefaults = providerDefaults;
    this.dropParamsDefault = dropParamsDefault;
    this.skipEntriesWithUnsetVariables = skipEntriesWithUnsetVariables;
    this.problems = problems;
  }

  /** Every deployment of {@code model_list}, in file order; absent or empty gives none. */
  List<Deployment> parseModelList(Object modelList) {
    if (modelList != null && !(modelList instanceof List<?>)) {
      problems.error(
          SECTION,
          "expected a list of deployments, got " + Values.describe(modelList) + "; none loaded");
      return List.of();
    }
    List<Deployment> deployments = new ArrayList<>();
    List<Object> entries = Values.list(modelList, SECTION);
    for (int i = 0; i < entries.size(); i++) {
      deployments.addAll(parseEntry(entries.get(i), YamlPath.index(SECTION, i)));
    }
    return deployments;
  }

  /** One entry: several deployments for a list of organizations, none when it is skipped. */
  private List<Deployment> parseEntry(Object rawEntry, String path) {
    if (!(rawEntry instanceof Map<?, ?>)) {
      problems.error(
          path,
          "expected a mapping with model_name and litellm_params, got "
              + Values.describe(rawEntry)
              + "; deployment skipped");
      return List.of();
    }
    Map<String, Object> entry = Values.mapping(rawEntry, path);
    Resolved resolved = env.resolve(entry, path);
    if (skipEntriesWithUnsetVariables && !resolved.unset().isEmpty()) {
      return List.of();
    }
    try {
      List<Deployment> deployments =
          build(entry, Values.mapping(resolved.value(), path), resolved.unset(), path);
      resolved.unset().forEach(variable -> problems.error(variable.path(), variable.problem()));
      return deployments;
    } catch (InvalidValueException e) {
      problems.error(e.path(), explain(e, resolved.unset()) + "; deployment skipped");
      return List.of();
    }
  }

  /** A required value that came from an unset variable is reported as that variable. */
  private static String explain(InvalidValueException e, List<UnsetVariable> unset) {
    for (UnsetVariable variable : unset) {
      if (variable.path().equals(e.path())) {
        return variable.problem();
      }
    }
    return e.problem();
  }

  private List<Deployment> build(
      Map<String, Object> rawEntry,
      Map<String, Object> entry,
      List<UnsetVariable> unset,
      String path) {
    String modelName = Values.requiredText(entry, "model_name", path).strip();
    if (modelName.indexOf('*') != modelName.lastIndexOf('*')) {
      throw new InvalidValueException(
          YamlPath.child(path, "model_name"), "may contain at most one '*' wildcard");
    }
    String paramsPath = YamlPath.child(path, "litellm_params");
    if (!entry.containsKey("litellm_params")) {
      throw new InvalidValueException(paramsPath, "missing required key");
    }
    Map<String, Object> params = Values.mapping(entry.get("litellm_params"), paramsPath);
    String modelPath = YamlPath.child(paramsPath, "model");
    ProviderModel providerModel =
        ProviderModels.split(
            Values.requiredText(params, "model", paramsPath).strip(),
            Values.text(
                params.get("custom_llm_provider"),
                YamlPath.child(paramsPath, "custom_llm_provider")),
            modelPath);
    String mockResponse =
        Values.text(params.get("mock_response"), YamlPath.child(paramsPath, "mock_response"));
    // a mock deployment never reaches a provider adapter, so any known provider may be mocked
    if (mockResponse == null && !supportedProviders.contains(providerModel.provider())) {
      throw new InvalidValueException(
          modelPath,
          "provider '" + providerModel.provider() + "' is not supported yet by this FeatherGate");
    }

    ENTRY_KEYS.check(entry, path, problems);
    String modelInfoPath = YamlPath.child(path, "model_info");
    Map<String, Object> modelInfo = Values.mapping(entry.get("model_info"), modelInfoPath);
    modelInfo.forEach(
        (key, value) -> {
          if (MODEL_INFO_NOT_HONOURED.contains(key) && KeyRules.asksForSomething(value)) {
            problems.warn(YamlPath.child(modelInfoPath, key), KeyRules.NOT_HONOURED);
          }
        });

    Deployment.PricedAs prices = PricesParser.parse(modelInfo, modelInfoPath, params, paramsPath);
    ProviderDefaults defaults =
        providerDefaults.getOrDefault(providerModel.provider(), ProviderDefaults.NONE);
    Secret apiKey = apiKey(params, paramsPath, unset, defaults);
    URI apiBase = apiBase(params, paramsPath, unset, defaults);
    List<String> organizations = organizations(params, paramsPath, unset, defaults);
    Duration timeout = seconds(params, "timeout", paramsPath, timeouts.timeout());
    Duration streamTimeout =
        seconds(
            params,
            "stream_timeout",
            paramsPath,
            timeouts.streamTimeout() != null ? timeouts.streamTimeout() : timeout);
    Object maxRetriesValue = params.get("max_retries");
    int maxRetries =
        maxRetriesValue == null
            ? 0
            : Values.nonNegativeInt(maxRetriesValue, YamlPath.child(paramsPath, "max_retries"));
    if (apiBase == null
        && !unsetAt(unset, YamlPath.child(paramsPath, "api_base"))
        && needsApiBase(providerModel.provider())
        && mockResponse == null) {
      throw new InvalidValueException(
          YamlPath.child(paramsPath, "api_base"),
          "is required: "
              + providerModel.provider()
              + " has no public endpoint; name your server's URL here (or set "
              + String.join(" or ", ProviderTable.get(providerModel.provider()).baseVariables())
              + ")");
    }
    ProviderSettings.Read providerSettings =
        ProviderSettings.read(row(providerModel.provider()), params, paramsPath, unset, defaults);
    Http2Policy http2 =
        http2(
            params,
            paramsPath,
            apiBase == null
                && !providerSettings.settings().containsKey("aws_bedrock_runtime_endpoint")
                && publicHttpsEndpoint(providerModel.provider()));
    Map<String, String> extraHeaders = new LinkedHashMap<>(defaults.headers());
    extraHeaders.putAll(extraHeaders(params, paramsPath));
    Map<String, JsonNode> defaultParams = defaultParams(params, paramsPath);
    Object dropParamsValue = params.get("drop_params");
    boolean dropParams =
        dropParamsValue == null
            ? dropParamsDefault
            : Values.bool(dropParamsValue, YamlPath.child(paramsPath, "drop_params"));
    // moved below, once the provider settings (which may name an endpoint) are read
    String unavailableReason = unavailableReason(unset);

    String infoId = Values.scalarText(modelInfo.get("id"), YamlPath.child(modelInfoPath, "id"));
    boolean explicitId = infoId != null && !infoId.isBlank();
    String baseId =
        explicitId ? infoId.strip() : DeploymentIds.hash(modelName, rawEntry.get("litellm_params"));
    RoutingHints routing =
        new RoutingHintsParser(problems)
            .parse(entry, path, params, paramsPath, modelInfo, modelInfoPath);
    List<Deployment> deployments = new ArrayList<>();
    for (int k = 0; k < Math.max(1, organizations.size()); k++) {
      // LiteLLM expands a list of organizations into one deployment each
      String id = organizations.size() > 1 ? baseId + "-" + (k + 1) : baseId;
      deployments.add(
          Deployment.builder(
                  ids.claim(id, explicitId, path),
                  modelName,
                  providerModel.provider(),
                  providerModel.upstreamModel())
              .apiBase(apiBase)
              .apiKey(apiKey)
              .organization(organizations.isEmpty() ? null : organizations.get(k))
              .timeout(timeout)
              .streamTimeout(streamTimeout)
              .maxRetries(maxRetries)
              .mockResponse(mockResponse)
              .defaultParams(defaultParams)
              .extraHeaders(extraHeaders)
              .dropParams(dropParams)
              .http2(http2)
              .unavailableReason(unavailableReason)
              .settings(providerSettings.settings())
              .secrets(providerSettings.secrets())
              .routing(routing)
              .mode(Values.scalarText(modelInfo.get("mode"), YamlPath.child(modelInfoPath, "mode")))
              .prices(prices)
              .build());
    }
    return deployments;
  }

  /** Whether the provider's row names no public endpoint, so that a deployment must name one. */
  private static boolean needsApiBase(String provider) {
    ProviderSpec row = row(provider);
    return row != null && row.defaultApiBase() == null;
  }

  /** Whether the provider's default endpoint is https (a local server's http one gets HTTP/1.1). */
  private static boolean publicHttpsEndpoint(String provider) {
    ProviderSpec row = row(provider);
    return row == null
        || row.defaultApiBase() == null
        || "https".equalsIgnoreCase(row.defaultApiBase().getScheme());
  }

  /** The provider's row, or null for a provider the table does not have. */
  private static ProviderSpec row(String provider) {
    for (ProviderSpec row : ProviderTable.ROWS) {
      if (row.name().equals(provider)) {
        return row;
      }
    }
    return null;
  }

  /** Whether the value at {@code path} was an unresolved reference (so no default replaces it). */
  private static boolean unsetAt(List<UnsetVariable> unset, String path) {
    return unset.stream().anyMatch(variable -> variable.path().equals(path));
  }

  /**
   * The configured key, else (as LiteLLM does for openai) {@code OPENAI_API_KEY}. A key whose
   * variable is unset gets no default: the deployment is unavailable, and another variable's key
   * must not stand in for the one the user named.
   */
  private static Secret apiKey(
      Map<String, Object> params,
      String paramsPath,
      List<UnsetVariable> unset,
      ProviderDefaults defaults) {
    String keyPath = YamlPath.child(paramsPath, "api_key");
    Secret configured = Secret.ofNullable(Values.text(params.get("api_key"), keyPath));
    if (configured != null || unsetAt(unset, keyPath)) {
      return configured;
    }
    return defaults.apiKey();
  }

  private static URI apiBase(
      Map<String, Object> params,
      String paramsPath,
      List<UnsetVariable> unset,
      ProviderDefaults defaults) {
    // base_url is LiteLLM's alias; api_base wins when both are written
    String key =
        params.containsKey("api_base") || !params.containsKey("base_url") ? "api_base" : "base_url";
    String basePath = YamlPath.child(paramsPath, key);
    String text = Values.text(params.get(key), basePath);
    if (text == null || text.isBlank()) {
      return unsetAt(unset, basePath) ? null : defaults.apiBase();
    }
    URI uri = ApiBases.parseOrNull(text);
    if (uri == null) {
      throw new InvalidValueException(basePath, ApiBases.PROBLEM);
    }
    return uri;
  }

  /** None, one, or (LiteLLM's "Multiple OpenAI Organizations") several. */
  private static List<String> organizations(
      Map<String, Object> params,
      String paramsPath,
      List<UnsetVariable> unset,
      ProviderDefaults defaults) {
    String orgPath = YamlPath.child(paramsPath, "organization");
    Object value = params.get("organization");
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        throw new InvalidValueException(orgPath, "must be text or a non-empty list of text");
      }
      List<String> organizations = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String organization = Values.text(list.get(i), YamlPath.index(orgPath, i));
        if (organization != null && !organization.isBlank()) {
          organizations.add(organization.strip());
        }
      }
      return organizations;
    }
    String organization = Values.text(value, orgPath);
    if (organization != null && !organization.isBlank()) {
      return List.of(organization.strip());
    }
    if (unsetAt(unset, orgPath) || defaults.organization() == null) {
      return List.of();
    }
    return List.of(defaults.organization());
  }

  private static Duration seconds(
      Map<String, Object> params, String key, String paramsPath, Duration fallback) {
    Object value = params.get(key);
    return value == null ? fallback : Values.seconds(value, YamlPath.child(paramsPath, key));
  }

  /**
   * {@code http2} and {@code http2_max_streams}. Without {@code http2}, a provider's own public
   * endpoint (no {@code api_base}) gets HTTP/2, which all of them speak; a configured {@code
   * api_base} keeps HTTP/1.1, since nothing says that server speaks HTTP/2.
   */
  private static Http2Policy http2(
      Map<String, Object> params, String paramsPath, boolean providerEndpoint) {
    Object enabled = params.get("http2");
    boolean on =
        enabled == null
            ? providerEndpoint
            : Values.bool(enabled, YamlPath.child(paramsPath, "http2"));
    Object maxStreamsValue = params.get("http2_max_streams");
    int maxStreams = Http2Policy.DEFAULT_MAX_STREAMS;
    if (maxStreamsValue != null) {
      String maxPath = YamlPath.child(paramsPath, "http2_max_streams");
      maxStreams = Values.nonNegativeInt(maxStreamsValue, maxPath);
      if (maxStreams < 1) {
        throw new InvalidValueException(maxPath, "must be at least 1");
      }
    }
    return new Http2Policy(on, maxStreams);
  }

  /** {@code headers} then {@code extra_headers}, as LiteLLM merges them. */
  private static Map<String, String> extraHeaders(Map<String, Object> params, String paramsPath) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String key : new String[] {"headers", "extra_headers"}) {
      String mapPath = YamlPath.child(paramsPath, key);
      Values.mapping(params.get(key), mapPath)
          .forEach(
              (name, value) -> {
                String headerPath = YamlPath.child(mapPath, name);
                String text = Values.scalarText(value, headerPath);
                if (text == null) {
                  return;
                }
                if (!HEADER_NAME.matcher(name).matches()) {
                  throw new InvalidValueException(headerPath, "is not a valid HTTP header name");
                }
                if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf(0) >= 0) {
                  throw new InvalidValueException(headerPath, "header value must be a single line");
                }
                headers.put(name, text);
              });
    }
    return headers;
  }

  /**
   * Every key that is not a deployment field or a known non-parameter, plus the entries of {@code
   * extra_body}: applied to requests that do not set them.
   */
  private Map<String, JsonNode> defaultParams(Map<String, Object> params, String paramsPath) {
    Map<String, JsonNode> defaults = new LinkedHashMap<>();
    params.forEach(
        (key, value) -> {
          if (LitellmParamKeys.RULES.isKnown(key)) {
            LitellmParamKeys.RULES.check(key, value, paramsPath, problems);
          } else {
            addDefault(defaults, key, value, paramsPath);
          }
        });
    String extraBodyPath = YamlPath.child(paramsPath, "extra_body");
    Values.mapping(params.get("extra_body"), extraBodyPath)
        .forEach((key, value) -> addDefault(defaults, key, value, extraBodyPath));
    return defaults;
  }

  private void addDefault(Map<String, JsonNode> defaults, String key, Object value, String path) {
    if (LitellmParamKeys.looksLikeCredential(key)) {
      problems.warn(YamlPath.child(path, key), LitellmParamKeys.LOOKS_LIKE_CREDENTIAL);
    } else if (value != null) {
      defaults.put(key, Json.MAPPER.valueToTree(value));
    }
  }

  private static String unavailableReason(List<UnsetVariable> unset) {
    if (unset.isEmpty()) {
      return null;
    }
    return unset.stream()
        .map(variable -> variable.problem() + " (" + variable.path() + ")")
        .collect(Collectors.joining("; "));
  }
}
