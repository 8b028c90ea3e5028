package io.feathergate.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;

/**
 * Serves {@code /v1/chat/completions}: checks the request, picks a deployment, and runs the
 * exchange with its upstream (or answers from {@code mock_response}).
 */
public final class ChatCompletionService {
  private final DeploymentDirectory directory;
  private final ProviderRegistry providers;
  private final UpstreamClient upstream;
  private final GatewaySettings settings;
  private final Clock clock;
  private final GatewayListener listener;

  public ChatCompletionService(
      DeploymentDirectory directory,
      ProviderRegistry providers,
      UpstreamClient upstream,
      GatewaySettings settings,
      Clock clock,
      GatewayListener listener) {
    this.directory = directory;
    this.providers = providers;
    this.upstream = upstream;
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Handles one request; the outcome always reaches {@code client}, now or later.
   *
   * @param info the request id and client address
   * @param apiRoute the route the client called, for error messages
   * @param clientBody the raw request body
   * @param clientHeaders the {@link ChatRequest#FORWARDABLE_HEADERS} the client sent, by lower-case
   *     name
   */
  public void handle(
      ClientInfo info,
      String apiRoute,
      byte[] clientBody,
      Map<String, String> clientHeaders,
      ClientChannel clientChannel) {
    // observability: everything below answers through the observer, which reports the outcome
    RequestObserver client =
        new RequestObserver(
            clientChannel, listener, info, apiRoute, System::nanoTime, clock.millis());
    ChatRequest clientRequest;
    Route route;
    try {
      clientRequest = ChatRequests.parse(clientBody).withClientHeaders(clientHeaders);
      route = directory.route(clientRequest.model(), apiRoute);
      Deployment deployment = route.deployment();
      // routed twice: before defaults, so that a refused request names its deployment, and after
      client.routed(deployment, clientRequest.stream());
      if (deployment.unavailableReason() != null) {
        throw GatewayException.deploymentUnavailable(
            deployment.modelGroup(), deployment.unavailableReason());
      }
      clientRequest = withDefaults(clientRequest, deployment);
      client.routed(deployment, clientRequest.stream());
    } catch (GatewayException e) {
      client.fail(e);
      return;
    }
    StreamContext context =
        new StreamContext(
            clientRequest,
            route.upstreamModel(),
            Ids.chatCompletionId(),
            clock.millis() / 1000,
            IdSource.random());
    Map<String, String> headers = responseHeaders(route.deployment());
    if (route.deployment().mockResponse() != null) {
      MockCompletions.serve(route.deployment().mockResponse(), context, headers, client);
      return;
    }
    ProviderAdapter adapter = providers.adapter(route.deployment().provider());
    new ChatExchange(clientRequest, route, adapter, upstream, context, headers, client).start();
  }

  /**
   * Answers a request that failed before it could be handled, typically while its body was read
   * (broken framing, a body that stopped arriving or is too large), and reports it like any other
   * request: one access-log record with its status, and its metrics.
   *
   * @param info the request id and client address
   * @param apiRoute the route the client called
   * @param failure what the client is told
   */
  public void reject(
      ClientInfo info, String apiRoute, GatewayException failure, ClientChannel clientChannel) {
    new RequestObserver(clientChannel, listener, info, apiRoute, System::nanoTime, clock.millis())
        .fail(failure);
  }

  /**
   * Applies the deployment's default parameters where the client sent none (LiteLLM's shallow
   * merge: the client's value wins), and {@code always_include_stream_usage}.
   */
  private ChatRequest withDefaults(ChatRequest clientRequest, Deployment deployment) {
    ObjectNode body = clientRequest.body();
    for (Map.Entry<String, JsonNode> entry : deployment.defaultParams().entrySet()) {
      if (!body.has(entry.getKey())) {
        body.set(entry.getKey(), entry.getValue().deepCopy());
      }
    }
    boolean includeUsage = clientRequest.includeUsage();
    if (clientRequest.stream() && settings.alwaysIncludeStreamUsage() && !includeUsage) {
      JsonNode options = body.get("stream_options");
      boolean explicitlyOff = options != null && options.has("include_usage");
      if (!explicitlyOff) {
        ObjectNode streamOptions =
            options instanceof ObjectNode existing ? existing : body.putObject("stream_options");
        streamOptions.put("include_usage", true);
        includeUsage = true;
      }
    }
    if (!deployment.defaultParams().isEmpty() || includeUsage != clientRequest.includeUsage()) {
      // a default may have set stream or stream_options: read those two again, not the whole body
      return ChatRequests.rereadStreamFlags(clientRequest);
    }
    return clientRequest;
  }

  private static Map<String, String> responseHeaders(Deployment deployment) {
    return Map.of(
        "x-litellm-model-id", deployment.id(),
        "x-litellm-model-group", deployment.modelGroup());
  }
}
