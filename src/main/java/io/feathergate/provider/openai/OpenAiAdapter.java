package io.feathergate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.UnsupportedParams;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI and every OpenAI-compatible upstream, one instance per row of the provider table: the
 * request passes through with only {@code model} replaced (and the row's parameter renames and
 * refusals applied, for providers that have any), and responses come back as they are.
 */
public final class OpenAiAdapter implements ProviderAdapter {
  private final ProviderSpec spec;

  /** OpenAI's endpoints beyond chat that the row's provider is asked for as they are. */
  private final Map<NativeApi, NativeHandler> beyondChat;

  /** The OpenAI parameters the row's provider honours, when it refuses some. */
  private final Set<String> supportedParams;

  /** OpenAI itself. */
  public OpenAiAdapter() {
    this(ProviderTable.get("openai"));
  }

  /** The OpenAI-compatible provider of this table row. */
  public OpenAiAdapter(ProviderSpec spec) {
    this.spec = spec;
    Map<NativeApi, NativeHandler> jsonEndpoints = new EnumMap<>(NativeApi.class);
    for (NativeApi api : NativeApi.values()) {
      if (api.isUpload()) {
        jsonEndpoints.put(api, new OpenAiUploadEndpoint(spec, api));
      } else if (api.openAiPath() != null) {
        jsonEndpoints.put(api, new OpenAiJsonEndpoint(spec, api));
      }
    }
    this.beyondChat = jsonEndpoints;
    Set<String> supported = new HashSet<>(UnsupportedParams.OPENAI_CHAT_PARAMS);
    supported.removeAll(spec.unsupportedParams());
    this.supportedParams = Set.copyOf(supported);
  }

  /**
   * The chat-completions URL per API base, computed once: parsing the URL again for every call
   * costs more than the call. Bounded by the configured bases (a request cannot choose one). Copied
   * on write: an immutable map in a volatile field, so a reader sees a whole map; two threads
   * adding at once may compute an entry twice, never lose a correct one for long.
   */
  private volatile Map<URI, URI> endpoints = Map.of();

  private URI endpointFor(URI apiBase) {
    URI endpoint = endpoints.get(apiBase);
    if (endpoint == null) {
      endpoint = chatCompletionsUri(apiBase);
      Map<URI, URI> more = new HashMap<>(endpoints);
      more.put(apiBase, endpoint);
      endpoints = Map.copyOf(more);
    }
    return endpoint;
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    // the client's body is written out with only the model replaced, and never changed itself
    byte[] body =
        Json.bytesWithField(
            spec.hasParamRules()
                ? withParamRules(clientRequest.body(), deployment)
                : clientRequest.body(),
            "model",
            OpenAiQuirks.upstreamModel(spec, route.upstreamModel()));
    Map<String, String> headers = headers(deployment, clientRequest.stream());
    URI apiBase = spec.apiBaseFor(deployment);
    if (apiBase == null) {
      throw GatewayException.internal(
          "Deployment " + deployment.id() + " of " + spec.name() + " has no api_base.");
    }
    return UpstreamRequest.post(
        endpointFor(apiBase), headers, body, clientRequest.stream(), deployment);
  }

  /** The request headers: the key as a bearer, the organization, the deployment's extras. */
  static Map<String, String> headers(Deployment deployment, boolean stream) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", stream ? "text/event-stream" : "application/json");
    if (deployment.apiKey() != null) {
      headers.put("Authorization", "Bearer " + deployment.apiKey().reveal());
    }
    if (deployment.organization() != null) {
      headers.put("OpenAI-Organization", deployment.organization());
    }
    headers.putAll(deployment.extraHeaders());
    return headers;
  }

  @Override
  public NativeHandler nativeHandler(NativeApi api) {
    // the Responses API is OpenAI's own: the compatible providers get it bridged through chat
    return api == NativeApi.OPENAI_RESPONSES && !spec.name().equals(ProviderTable.OPENAI)
        ? null
        : beyondChat.get(api);
  }

  /**
   * The endpoint that sends OpenAI's body for {@code api} to this row's base, whether or not the
   * row's provider serves it itself: for a provider that puts OpenAI's bodies elsewhere (Azure).
   */
  public NativeHandler openAiEndpoint(NativeApi api) {
    return beyondChat.get(api);
  }

  @Override
  public NativeHandler nativeHandler(NativeApi api, Deployment deployment) {
    return api == NativeApi.OPENAI_RESPONSES && bridgesResponses(deployment)
        ? null
        : nativeHandler(api);
  }

  /**
   * Whether the deployment asks for the Responses API through chat (LiteLLM's {@code
   * use_chat_completions_api}): for an upstream at a custom {@code api_base} that has no {@code
   * /responses}.
   */
  public static boolean bridgesResponses(Deployment deployment) {
    return "true".equalsIgnoreCase(deployment.setting("use_chat_completions_api"));
  }

  /**
   * A copy of the client's body in this provider's terms: refused parameters dropped or refused
   * ({@code drop_params}), renamed ones under their names here.
   */
  private ObjectNode withParamRules(ObjectNode clientBody, Deployment deployment) {
    ObjectNode upstreamBody = Json.MAPPER.createObjectNode().setAll(clientBody);
    UnsupportedParams.enforce(upstreamBody, spec.name(), supportedParams, deployment.dropParams());
    for (Map.Entry<String, String> rename : spec.renamedParams().entrySet()) {
      JsonNode value = upstreamBody.remove(rename.getKey());
      if (value != null && !upstreamBody.has(rename.getValue())) {
        upstreamBody.set(rename.getValue(), value);
      }
    }
    OpenAiQuirks.applyToRequest(spec, upstreamBody, deployment.dropParams());
    return upstreamBody;
  }

  static URI chatCompletionsUri(URI apiBase) {
    String base = apiBase.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/chat/completions")) {
      return URI.create(base);
    }
    return URI.create(base + "/chat/completions");
  }

  @Override
  public ChatCompletion fromUpstream(byte[] upstreamBody, StreamContext context) {
    if (!Json.isObject(upstreamBody)) {
      throw GatewayException.upstreamProtocol("the response body is not a JSON object");
    }
    // passed through as it came: its usage is read from the bytes, nothing else is parsed
    byte[] answer = OpenAiQuirks.applyToAnswer(spec, upstreamBody);
    return new ChatCompletion(answer, UsageScanner.find(answer));
  }

  @Override
  public StreamDecoder newStreamDecoder(StreamContext context) {
    return new OpenAiStreamDecoder(spec);
  }

  @Override
  public GatewayException toError(int status, Map<String, String> headers, byte[] body) {
    return OpenAiErrors.fromUpstream(status, body);
  }

  static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
