package io.feathergate.provider.azure;

import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ModelNames;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.core.spi.UpstreamAuth;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.provider.openai.OpenAiAdapter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Azure OpenAI and Azure AI Foundry. The body is OpenAI's, written by the OpenAI adapter; what
 * differs is where it goes, how it is authorised, and the stream's first and annotation chunks.
 */
public final class AzureAdapter implements ProviderAdapter {
  /** LiteLLM's default {@code api_version} when neither the entry nor the environment gives one. */
  public static final String DEFAULT_API_VERSION = "2025-02-01-preview";

  /** Versions that select the {@code /openai/v1/} family, as in LiteLLM. */
  static final Set<String> V1_VERSIONS = Set.of("v1", "latest", "preview");

  static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com";
  static final String DEFAULT_SCOPE = "https://cognitiveservices.azure.com/.default";

  /** The path of each operation after the deployment (or {@code /v1/}). */
  static final String CHAT = "chat/completions";

  /** The Responses API's path, which Azure serves outside the deployments. */
  static final String RESPONSES = "responses";

  private final ProviderSpec spec;
  private final OpenAiAdapter openAi;

  /** The endpoints beyond chat that Azure OpenAI deployments have (no moderations). */
  private final Map<NativeApi, NativeHandler> beyondChat;

  /** {@code azure_ai} rows speak Foundry's URLs; every other row Azure OpenAI's. */
  private final boolean foundry;

  public AzureAdapter(ProviderSpec spec) {
    this.spec = spec;
    this.openAi = new OpenAiAdapter(spec);
    this.beyondChat =
        Map.of(
            NativeApi.OPENAI_EMBEDDINGS,
            new OnAzure(NativeApi.OPENAI_EMBEDDINGS),
            NativeApi.OPENAI_IMAGES,
            new OnAzure(NativeApi.OPENAI_IMAGES),
            NativeApi.OPENAI_COMPLETIONS,
            new OnAzure(NativeApi.OPENAI_COMPLETIONS),
            NativeApi.OPENAI_RESPONSES,
            new OnAzure(NativeApi.OPENAI_RESPONSES),
            NativeApi.OPENAI_SPEECH,
            new OnAzure(NativeApi.OPENAI_SPEECH),
            NativeApi.OPENAI_TRANSCRIPTIONS,
            new OnAzure(NativeApi.OPENAI_TRANSCRIPTIONS),
            NativeApi.OPENAI_TRANSLATIONS,
            new OnAzure(NativeApi.OPENAI_TRANSLATIONS));
    this.foundry = spec.name().equals("azure_ai");
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    // OpenAI's body, with the model (the Azure deployment's name) and the row's parameter rules
    String deploymentName = deploymentName(route.upstreamModel());
    return onAzure(
        route.deployment(),
        deploymentName,
        CHAT,
        openAi.toUpstream(clientRequest, new Route(route.deployment(), deploymentName)));
  }

  @Override
  public NativeHandler nativeHandler(NativeApi api) {
    return beyondChat.get(api);
  }

  @Override
  public NativeHandler nativeHandler(NativeApi api, Deployment deployment) {
    return api == NativeApi.OPENAI_RESPONSES && OpenAiAdapter.bridgesResponses(deployment)
        ? null
        : nativeHandler(api);
  }

  /**
   * One of OpenAI's endpoints beyond chat on Azure: OpenAI's body at the Azure deployment's URL for
   * it, with Azure's credentials.
   */
  private final class OnAzure implements NativeHandler {
    private final NativeHandler openAiEndpoint;
    private final String operation;

    OnAzure(NativeApi api) {
      this.openAiEndpoint = openAi.openAiEndpoint(api);
      this.operation = api.openAiPath();
    }

    @Override
    public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
      String deploymentName = deploymentName(route.upstreamModel());
      return onAzure(
          route.deployment(),
          deploymentName,
          operation,
          openAiEndpoint.toUpstream(clientRequest, new Route(route.deployment(), deploymentName)));
    }

    @Override
    public TokenUsage usage(byte[] answer) {
      return openAiEndpoint.usage(answer);
    }

    @Override
    public String contentType(ChatRequest clientRequest) {
      return openAiEndpoint.contentType(clientRequest);
    }

    @Override
    public Stream newStream() {
      return openAiEndpoint.newStream();
    }
  }

  /**
   * The request OpenAI's adapter built, sent to Azure's URL for {@code operation} with Azure's
   * credentials.
   */
  private UpstreamRequest onAzure(
      Deployment deployment,
      String deploymentName,
      String operation,
      UpstreamRequest openAiRequest) {
    URI apiBase = spec.apiBaseFor(deployment);
    if (apiBase == null) {
      throw GatewayException.internal(
          "Deployment " + deployment.id() + " of " + spec.name() + " has no api_base.");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", openAiRequest.stream() ? "text/event-stream" : "application/json");
    UpstreamAuth auth = null;
    if (foundry) {
      if (deployment.apiKey() != null) {
        if (isAzureHost(apiBase)) {
          headers.put("api-key", deployment.apiKey().reveal());
        } else {
          headers.put("Authorization", "Bearer " + deployment.apiKey().reveal());
        }
      }
    } else {
      auth = authorize(deployment, headers);
    }
    headers.putAll(deployment.extraHeaders());
    URI uri =
        foundry
            ? foundryUri(apiBase, deployment.setting("api_version"), operation)
            : azureUri(apiBase, deploymentName, apiVersion(deployment), operation);
    return new UpstreamRequest(
        uri,
        headers,
        openAiRequest.body(),
        openAiRequest.stream(),
        openAiRequest.idleTimeout(),
        openAiRequest.deadline(),
        openAiRequest.http2(),
        auth,
        openAiRequest.parts());
  }

  /** The Azure deployment's name, without LiteLLM's routing prefixes ({@code o_series/}, ...). */
  static String deploymentName(String upstreamModel) {
    for (String prefix : new String[] {"o_series/", "gpt5_series/", "responses/"}) {
      if (upstreamModel.startsWith(prefix)) {
        return upstreamModel.substring(prefix.length());
      }
    }
    return upstreamModel;
  }

  static String apiVersion(Deployment deployment) {
    String version = deployment.setting("api_version");
    return version == null ? DEFAULT_API_VERSION : version;
  }

  /**
   * The key in {@code api-key} (which wins, as in LiteLLM), else a static Entra token, else the
   * Entra client-credentials grant for the credentials component to exchange.
   */
  private static UpstreamAuth authorize(Deployment deployment, Map<String, String> headers) {
    if (deployment.apiKey() != null) {
      headers.put("api-key", deployment.apiKey().reveal());
      return null;
    }
    Secret adToken = deployment.secret("azure_ad_token");
    if (adToken != null) {
      headers.put("Authorization", "Bearer " + adToken.reveal());
      return null;
    }
    String tenant = deployment.setting("tenant_id");
    String clientId = deployment.setting("client_id");
    Secret clientSecret = deployment.secret("client_secret");
    if (tenant == null || clientId == null || clientSecret == null) {
      throw new GatewayException(
          500,
          "internal_server_error",
          "Deployment "
              + deployment.id()
              + " has no Azure credentials: set api_key, azure_ad_token, or tenant_id, client_id"
              + " and client_secret.",
          null,
          "500",
          false);
    }
    String authority = deployment.setting("azure_authority_host");
    String scope = deployment.setting("azure_scope");
    return new UpstreamAuth.OAuthToken(
        new UpstreamAuth.ClientCredentials(
            tokenUri(authority == null ? DEFAULT_AUTHORITY : authority, tenant),
            clientId,
            clientSecret,
            scope == null ? DEFAULT_SCOPE : scope));
  }

  /** {@code {authority}/{tenant}/oauth2/v2.0/token}. */
  static URI tokenUri(String authority, String tenant) {
    return URI.create(
        trimSlashes(authority)
            + "/"
            + URLEncoder.encode(tenant, StandardCharsets.UTF_8)
            + "/oauth2/v2.0/token");
  }

  /**
   * The dated family {@code {base}/openai/deployments/{deployment}/chat/completions?api-version=},
   * or the v1 family {@code {base}/openai/v1/chat/completions} for {@code v1}, {@code latest} and
   * {@code preview}. The base may be written with or without {@code /openai}.
   */
  static URI azureUri(URI apiBase, String deploymentName, String apiVersion) {
    return azureUri(apiBase, deploymentName, apiVersion, CHAT);
  }

  /** {@link #azureUri(URI, String, String)} for an operation: {@code chat/completions}, ... */
  static URI azureUri(URI apiBase, String deploymentName, String apiVersion, String operation) {
    String base = trimSlashes(withoutQuery(apiBase));
    if (base.endsWith("/openai/v1")) {
      base = base.substring(0, base.length() - "/v1".length());
    }
    if (!base.endsWith("/openai")) {
      base = base + "/openai";
    }
    if (V1_VERSIONS.contains(apiVersion.toLowerCase(Locale.ROOT))) {
      return URI.create(
          base
              + "/v1/"
              + operation
              + (apiVersion.equalsIgnoreCase("preview") ? "?api-version=preview" : ""));
    }
    if (operation.equals(RESPONSES)) {
      // the Responses API has no deployment in its path: the body's model names the deployment
      return URI.create(
          base
              + "/"
              + RESPONSES
              + "?api-version="
              + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8));
    }
    return URI.create(
        base
            + "/deployments/"
            + ModelNames.pathSegment(deploymentName)
            + "/"
            + operation
            + "?api-version="
            + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8));
  }

  /**
   * Foundry: {@code {base}/models/chat/completions} on {@code *.services.ai.azure.com}, else {@code
   * {base}/chat/completions}; {@code ?api-version=} only when one is given.
   */
  static URI foundryUri(URI apiBase, String apiVersion) {
    return foundryUri(apiBase, apiVersion, CHAT);
  }

  /** {@link #foundryUri(URI, String)} for an operation: {@code chat/completions}, ... */
  static URI foundryUri(URI apiBase, String apiVersion, String operation) {
    String base = trimSlashes(withoutQuery(apiBase));
    if (base.endsWith("/" + CHAT)) {
      base = base.substring(0, base.length() - CHAT.length() - 1);
    }
    String host = apiBase.getHost() == null ? "" : apiBase.getHost().toLowerCase(Locale.ROOT);
    if (host.endsWith(".services.ai.azure.com") && !base.endsWith("/models")) {
      base = base + "/models";
    }
    String query =
        apiVersion == null
            ? ""
            : "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
    return URI.create(base + "/" + operation + query);
  }

  private static boolean isAzureHost(URI apiBase) {
    String host = apiBase.getHost() == null ? "" : apiBase.getHost().toLowerCase(Locale.ROOT);
    return host.endsWith(".services.ai.azure.com") || host.endsWith(".openai.azure.com");
  }

  private static String withoutQuery(URI uri) {
    String text = uri.toString();
    int query = text.indexOf('?');
    return query < 0 ? text : text.substring(0, query);
  }

  private static String trimSlashes(String text) {
    String base = text;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }

  @Override
  public ChatCompletion fromUpstream(byte[] upstreamBody, StreamContext context) {
    return openAi.fromUpstream(upstreamBody, context);
  }

  @Override
  public StreamDecoder newStreamDecoder(StreamContext context) {
    return new AzureStreamDecoder(openAi.newStreamDecoder(context), context);
  }

  @Override
  public GatewayException toError(int status, Map<String, String> headers, byte[] body) {
    return openAi.toError(status, headers, body);
  }
}
