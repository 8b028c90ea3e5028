package io.feathergate.core.exchange;

import io.feathergate.core.CacheSettings.CallType;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.cache.CacheTicket;
import io.feathergate.core.cache.CachedAnswer;
import io.feathergate.core.cache.ResponseCache;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.errors.SecretRedactor;
import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.keys.KeyAdmission;
import io.feathergate.core.routing.AttemptPlan;
import io.feathergate.core.routing.Router;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.IdSource;
import io.feathergate.core.spi.Ids;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.ProviderRegistry;
import io.feathergate.core.spi.UpstreamClient;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Serves {@code /v1/chat/completions}: checks the request, has the router plan its attempts, and
 * runs the exchange with its upstreams (or answers from {@code mock_response}).
 */
public final class ChatCompletionService {
  private final Router router;
  private final ProviderRegistry providers;
  private final UpstreamClient upstream;
  private final GatewaySettings settings;
  private final Clock clock;
  private final GatewayListener listener;
  private final SecretRedactor redactor;
  private final ScheduledExecutorService retryTimer;
  private final KeyAdmission admission;
  private final ResponseCache cache;

  /**
   * @param retryTimer runs retries that wait for a backoff
   * @param admission lets requests in by their caller's key, budget and limits
   * @param cache the response cache, or null for none
   */
  public ChatCompletionService(
      Router router,
      ProviderRegistry providers,
      UpstreamClient upstream,
      GatewaySettings settings,
      Clock clock,
      GatewayListener listener,
      SecretRedactor redactor,
      ScheduledExecutorService retryTimer,
      KeyAdmission admission,
      ResponseCache cache) {
    this.cache = cache;
    this.admission = admission;
    this.router = router;
    this.retryTimer = retryTimer;
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
    AttemptPlan plan;
    try {
      clientRequest =
          admission.aliased(
              info.principal(), reader.read(clientBody).withClientHeaders(clientHeaders));
      ClientCredentials.check(clientRequest.body(), settings.allowClientSideCredentials());
      // the key's models, limits and budget, before any routing: a refused request costs nothing
      client.admitted(admission.admit(info.principal(), clientRequest));
      CacheTicket ticket = cacheTicket(clientRequest, apiRoute, info);
      if (ticket != null) {
        CachedAnswer hit = ticket.hit();
        if (hit != null) {
          client.serveCached(hit, ticket.key(), router.groupName(clientRequest.model()));
          return;
        }
        client.collectFor(ticket);
        clientRequest = ticket.forUpstream(clientRequest);
      }
      plan = router.plan(clientRequest, apiRoute);
    } catch (GatewayException e) {
      client.fail(e);
      return;
    }
    ChatExchange.Request request =
        new ChatExchange.Request(
            Router.forUpstream(clientRequest),
            settings,
            Ids.chatCompletionId(),
            clock.millis() / 1000,
            IdSource.random());
    new ChatExchange(request, plan, providers, upstream, client, retryTimer).start();
  }

  /** The request's part in the response cache, or null when the cache does not serve it. */
  private CacheTicket cacheTicket(ChatRequest clientRequest, String apiRoute, ClientInfo info) {
    if (cache == null) {
      return null;
    }
    String answeringModel = router.answeringModel(clientRequest.model());
    CallType callType = callType(clientRequest, apiRoute);
    return answeringModel == null || callType == null
        ? null
        : cache.open(clientRequest, answeringModel, callType, info.principal());
  }

  /** Which of the cache's call types a request is, or null for one it never serves. */
  private static CallType callType(ChatRequest clientRequest, String apiRoute) {
    NativeRequest clientNative = clientRequest.nativeRequest();
    if (clientNative != null) {
      return switch (clientNative.api()) {
        case OPENAI_EMBEDDINGS -> CallType.EMBEDDING;
        case OPENAI_COMPLETIONS -> CallType.TEXT_COMPLETION;
        default -> null;
      };
    }
    if (apiRoute.endsWith("/chat/completions")) {
      return CallType.CHAT;
    }
    return apiRoute.endsWith("/completions") ? CallType.TEXT_COMPLETION : null;
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
