package io.feathergate.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One configured upstream: a {@code model_list} entry after parsing and {@code os.environ/}
 * resolution.
 *
 * @param id {@code model_info.id}, or a stable hash of the entry when absent
 * @param modelGroup the public name clients send ({@code model_name}); may contain {@code *}
 * @param provider the provider key ({@code openai}, ...), from the model prefix or {@code
 *     custom_llm_provider}
 * @param upstreamModel the model name sent upstream (the part after the provider prefix); may
 *     contain {@code *} to take the part of the requested name that a wildcard group matched
 * @param apiBase the upstream base URL, or null for the provider's default
 * @param apiKey the upstream credential, or null
 * @param organization the OpenAI organization header value, or null
 * @param timeout the deadline for a whole non-streaming call
 * @param streamTimeout for streams, the longest wait for the first byte and between two reads
 * @param maxRetries retries of this deployment before the first byte reaches the client
 * @param mockResponse a canned answer served without any upstream call, or null
 * @param defaultParams request parameters applied where the client did not set them
 * @param extraHeaders headers added to every upstream request
 * @param dropParams {@code drop_params}: leave out OpenAI parameters the provider cannot honour
 *     instead of answering 400
 * @param http2 whether calls may go over HTTP/2 ({@code http2}, {@code http2_max_streams})
 * @param unavailableReason why this deployment cannot serve (an unset environment variable), or
 *     null
 * @param settings provider settings by their {@code litellm_params} key ({@code api_version},
 *     {@code aws_region_name}, {@code vertex_project}, ...), from the entry or the environment
 * @param secrets provider credentials other than the key, by their {@code litellm_params} key
 *     ({@code client_secret}, {@code aws_secret_access_key}, {@code vertex_credentials}, ...)
 * @param routing what the router weighs and limits it by ({@code weight}, {@code rpm}, ...)
 * @param mode what the model does ({@code model_info.mode}: {@code chat}, {@code embedding}, {@code
 *     image_generation}, ...), or null when the config does not say
 * @param prices the prices {@code model_info} sets ({@code input_cost_per_token}, ...) and {@code
 *     base_model}'s name for the price table, over the table's own
 */
public record Deployment(
    String id,
    String modelGroup,
    String provider,
    String upstreamModel,
    URI apiBase,
    Secret apiKey,
    String organization,
    Duration timeout,
    Duration streamTimeout,
    int maxRetries,
    String mockResponse,
    Map<String, JsonNode> defaultParams,
    Map<String, String> extraHeaders,
    boolean dropParams,
    Http2Policy http2,
    String unavailableReason,
    Map<String, String> settings,
    Map<String, Secret> secrets,
    RoutingHints routing,
    String mode,
    PricedAs prices) {

  /**
   * How a deployment's calls are priced.
   *
   * @param baseModel {@code model_info.base_model}: the name to look up in the price table instead
   *     of the upstream model (Azure deployments), or null
   * @param overrides the prices the deployment sets itself
   */
  public record PricedAs(String baseModel, TokenPrices overrides) {
    public static final PricedAs TABLE = new PricedAs(null, TokenPrices.NONE);
  }

  public Deployment {
    defaultParams = Map.copyOf(defaultParams);
    extraHeaders = Map.copyOf(extraHeaders);
    settings = Map.copyOf(settings);
    secrets = Map.copyOf(secrets);
    prices = prices == null ? PricedAs.TABLE : prices;
  }

  /** A deployment without provider settings or secrets of its own. */
  public Deployment(
      String id,
      String modelGroup,
      String provider,
      String upstreamModel,
      URI apiBase,
      Secret apiKey,
      String organization,
      Duration timeout,
      Duration streamTimeout,
      int maxRetries,
      String mockResponse,
      Map<String, JsonNode> defaultParams,
      Map<String, String> extraHeaders,
      boolean dropParams,
      Http2Policy http2,
      String unavailableReason) {
    this(
        id,
        modelGroup,
        provider,
        upstreamModel,
        apiBase,
        apiKey,
        organization,
        timeout,
        streamTimeout,
        maxRetries,
        mockResponse,
        defaultParams,
        extraHeaders,
        dropParams,
        http2,
        unavailableReason,
        Map.of(),
        Map.of(),
        RoutingHints.NONE,
        null,
        PricedAs.TABLE);
  }

  /** A provider setting, or null when neither the entry nor the environment gives it. */
  public String setting(String key) {
    return settings.get(key);
  }

  /** A provider secret, or null. */
  public Secret secret(String key) {
    return secrets.get(key);
  }

  public boolean isWildcard() {
    return modelGroup.indexOf('*') >= 0;
  }

  /** LiteLLM's default timeout for a whole call, when nothing in the config sets one. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

  /**
   * A deployment of {@code provider} serving {@code upstreamModel} to the model group {@code
   * modelGroup}; everything else starts at its default (no endpoint, key or headers of its own,
   * {@link #DEFAULT_TIMEOUT}, no retries, HTTP/1.1).
   */
  public static Builder builder(
      String id, String modelGroup, String provider, String upstreamModel) {
    return new Builder(id, modelGroup, provider, upstreamModel);
  }

  /** A builder holding this deployment's values, to make one that differs in a few. */
  public Builder toBuilder() {
    Builder builder = new Builder(id, modelGroup, provider, upstreamModel);
    builder.apiBase = apiBase;
    builder.apiKey = apiKey;
    builder.organization = organization;
    builder.timeout = timeout;
    builder.streamTimeout = streamTimeout;
    builder.maxRetries = maxRetries;
    builder.mockResponse = mockResponse;
    builder.defaultParams = defaultParams;
    builder.extraHeaders = extraHeaders;
    builder.dropParams = dropParams;
    builder.http2 = http2;
    builder.unavailableReason = unavailableReason;
    builder.settings = settings;
    builder.secrets = secrets;
    builder.routing = routing;
    builder.mode = mode;
    builder.prices = prices;
    return builder;
  }

  /** Builds a {@link Deployment} by name rather than by position; see the record's fields. */
  public static final class Builder {
    private final String id;
    private final String modelGroup;
    private final String provider;
    private final String upstreamModel;
    private URI apiBase;
    private Secret apiKey;
    private String organization;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration streamTimeout;
    private int maxRetries;
    private String mockResponse;
    private Map<String, JsonNode> defaultParams = Map.of();
    private Map<String, String> extraHeaders = Map.of();
    private boolean dropParams;
    private Http2Policy http2 = Http2Policy.OFF;
    private String unavailableReason;
    private Map<String, String> settings = Map.of();
    private Map<String, Secret> secrets = Map.of();
    private RoutingHints routing = RoutingHints.NONE;
    private String mode;
    private PricedAs prices = PricedAs.TABLE;

    private Builder(String id, String modelGroup, String provider, String upstreamModel) {
      this.id = id;
      this.modelGroup = modelGroup;
      this.provider = provider;
      this.upstreamModel = upstreamModel;
    }

    public Builder apiBase(URI value) {
      this.apiBase = value;
      return this;
    }

    public Builder apiKey(Secret value) {
      this.apiKey = value;
      return this;
    }

    public Builder organization(String value) {
      this.organization = value;
      return this;
    }

    /** The whole-call deadline; also the stream timeout unless {@link #streamTimeout} is set. */
    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    public Builder streamTimeout(Duration value) {
      this.streamTimeout = value;
      return this;
    }

    public Builder maxRetries(int value) {
      this.maxRetries = value;
      return this;
    }

    public Builder mockResponse(String value) {
      this.mockResponse = value;
      return this;
    }

    public Builder defaultParams(Map<String, JsonNode> value) {
      this.defaultParams = value;
      return this;
    }

    public Builder extraHeaders(Map<String, String> value) {
      this.extraHeaders = value;
      return this;
    }

    public Builder dropParams(boolean value) {
      this.dropParams = value;
      return this;
    }

    public Builder http2(Http2Policy value) {
      this.http2 = value;
      return this;
    }

    public Builder unavailableReason(String value) {
      this.unavailableReason = value;
      return this;
    }

    public Builder settings(Map<String, String> value) {
      this.settings = value;
      return this;
    }

    public Builder secrets(Map<String, Secret> value) {
      this.secrets = value;
      return this;
    }

    public Builder routing(RoutingHints value) {
      this.routing = value;
      return this;
    }

    /** {@code model_info.mode}, or null. */
    public Builder mode(String value) {
      mode = value;
      return this;
    }

    public Builder prices(PricedAs value) {
      prices = value;
      return this;
    }

    public Deployment build() {
      return new Deployment(
          id,
          modelGroup,
          provider,
          upstreamModel,
          apiBase,
          apiKey,
          organization,
          timeout,
          streamTimeout == null ? timeout : streamTimeout,
          maxRetries,
          mockResponse,
          defaultParams,
          extraHeaders,
          dropParams,
          http2,
          unavailableReason,
          settings,
          secrets,
          routing,
          mode,
          prices);
    }
  }
}
