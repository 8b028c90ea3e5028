package io.feathergate.core.exchange;

import io.feathergate.core.GatewaySettings;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.errors.SecretRedactor;
import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.routing.DeploymentDirectory;
import io.feathergate.core.routing.SameDeploymentRetries;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.IdSource;
import io.feathergate.core.spi.Ids;
import io.feathergate.core.spi.ProviderRegistry;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.UpstreamClient;
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
  private final SecretRedactor redactor;

  public ChatCompletionService(
      DeploymentDirectory directory,
      ProviderRegistry providers,
      UpstreamClient upstream,
      GatewaySettings settings,
      Clock clock,
      GatewayListener listener,
      SecretRedactor redactor) {
    this.directory = directory;
    this.providers = providers;
    this.upstream = upstream;
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
    this.redactor = redactor;
  }

  /**
   * Handles one request; the outcome always reaches {@code client}, now or later.
   *
   * @param info the request id and client address
   * @param apiRoute the route the client called, for error messages
   * @param reader reads the body in the route's dialect
   * @param clientBody the raw request body
   * @param clientHeaders the {@link ChatRequest#FORWARDABLE_HEADERS} the client sent, by lower-case
   *     name
   */
  public void handle(
      ClientInfo info,
      String apiRoute,
      ClientRequestReader reader,
      byte[] clientBody,
      Map<String, String> clientHeaders,
      ClientChannel clientChannel) {
    // observability: everything below answers through the observer, which reports the outcome
    RequestObserver client =
        new RequestObserver(
            clientChannel, listener, redactor, info, apiRoute, System::nanoTime, clock.millis());
    ChatRequest clientRequest;
    Route route;
    try {
      clientRequest = reader.read(clientBody).withClientHeaders(clientHeaders);
      ClientCredentials.check(clientRequest.body(), settings.allowClientSideCredentials());
      route = directory.route(clientRequest.model(), apiRoute);
    } catch (GatewayException e) {
      client.fail(e);
      return;
    }
    ChatExchange.Request request =
        new ChatExchange.Request(
            clientRequest,
            settings,
            Ids.chatCompletionId(),
            clock.millis() / 1000,
            IdSource.random());
    new ChatExchange(request, new SameDeploymentRetries(route), providers, upstream, client)
        .start();
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
    new RequestObserver(
            clientChannel, listener, redactor, info, apiRoute, System::nanoTime, clock.millis())
        .fail(failure);
  }
}
