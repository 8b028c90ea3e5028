package io.feathergate.core.exchange;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.routing.AttemptPlan;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.IdSource;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderRegistry;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.UpstreamCall;
import io.feathergate.core.spi.UpstreamClient;
import io.feathergate.core.spi.UpstreamListener;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One chat completion in flight between a client and its upstreams: a loop of attempts, each on the
 * deployment its {@link AttemptPlan} names, until one answers or the plan gives up. Each attempt
 * builds its own upstream request from the client's request (never changed) and its deployment, so
 * an attempt on another deployment inherits nothing from the one before.
 *
 * <p>Upstream callbacks arrive on the transport's I/O threads, in order; the client side calls
 * {@link #resumeUpstream} and {@link #cancelUpstream} from its own threads. Attempts follow one
 * another, never overlap.
 *
 * <p>Another attempt happens only while nothing has reached the client (DESIGN rule 4); afterwards
 * a failure becomes the stream's final error event.
 */
final class ChatExchange implements UpstreamListener {
  private static final Logger LOG = Logger.getLogger(ChatExchange.class.getName());

  /** What every attempt of this request shares. */
  record Request(
      ChatRequest clientRequest,
      GatewaySettings settings,
      String responseId,
      long createdEpochSeconds,
      IdSource ids) {}

  private final Request request;
  private final AttemptPlan plan;
  private final ProviderRegistry providers;
  private final UpstreamClient upstream;
  private final RequestObserver client;
  private final ScheduledExecutorService retryTimer;
  private final List<String> chunks = new ArrayList<>(4);

  // the current attempt: written before its call is sent, read by the callbacks it causes
  private Route route;
  private ProviderAdapter adapter;
  private StreamContext context;
  private Map<String, String> gatewayHeaders;

  /** What the client's response carries: the gateway's headers and the upstream's rate limits. */
  private Map<String, String> responseHeaders;

  private StreamDecoder decoder;

  /** How the current attempt's provider takes the client's own API, or null when translated. */
  private NativeHandler nativeHandler;

  /** The attempt's chat requests, one per prompt of a legacy completion's list; else null. */
  private List<ChatRequest> promptChoices;

  private NativeHandler.Stream nativeStream;
  private volatile UpstreamCall call;
  private volatile boolean clientGone;

  ChatExchange(
      Request request,
      AttemptPlan plan,
      ProviderRegistry providers,
      UpstreamClient upstream,
      RequestObserver client,
      ScheduledExecutorService retryTimer) {
    this.request = request;
    this.plan = plan;
    this.providers = providers;
    this.upstream = upstream;
    this.client = client;
    this.retryTimer = retryTimer;
  }

  void start() {
    client.bind(this::resumeUpstream, this::cancelUpstream);
    client.planned(plan);
    Route first;
    try {
      first = plan.first();
    } catch (GatewayException e) {
      client.fail(e); // nothing of the group can take it now: LiteLLM's 429, or a bad request
      return;
    }
    attempt(first);
  }

  /** Runs one attempt on {@code next}: its request, or a canned answer, or a refusal. */
  private void attempt(Route next) {
    route = next;
    Deployment deployment = next.deployment();
    ChatRequest clientRequest = request.clientRequest();
    // before defaults, so that a refused attempt names its deployment; again after, as they may
    // change the stream flag
    client.routed(deployment, clientRequest.stream());
    gatewayHeaders = plan.routingHeaders(deployment);
    responseHeaders = gatewayHeaders;
    if (deployment.unavailableReason() != null) {
      // another deployment of the group may well be configured right
      nextOrFail(
          GatewayException.deploymentUnavailable(
              deployment.modelGroup(), deployment.unavailableReason()));
      return;
    }
    ChatRequest attemptRequest;
    try {
      attemptRequest = DeploymentDefaults.apply(clientRequest, deployment, request.settings());
    } catch (GatewayException e) {
      client.fail(e); // a default of the wrong type for the gateway's own fields (stream, ...)
      return;
    }
    client.routed(deployment, attemptRequest.stream());
    context =
        new StreamContext(
            attemptRequest,
            next.upstreamModel(),
            request.responseId(),
            request.createdEpochSeconds(),
            request.ids());
    NativeRequest nativeRequest = attemptRequest.nativeRequest();
    adapter = deployment.mockResponse() == null ? providers.adapter(deployment.provider()) : null;
    nativeHandler =
        nativeRequest == null || adapter == null
            ? null
            : adapter.nativeHandler(nativeRequest.api(), deployment);
    if (nativeRequest != null && nativeHandler == null && !translatable(nativeRequest)) {
      return;
    }
    if (deployment.mockResponse() != null) {
      MockCompletions.serve(deployment.mockResponse(), context, gatewayHeaders, client);
      return;
    }
    UpstreamRequest upstreamRequest = null;
    List<UpstreamRequest> fanOut = null;
    try {
      promptChoices = nativeHandler == null ? PromptChoices.split(attemptRequest) : null;
      if (promptChoices != null) {
        fanOut = new ArrayList<>(promptChoices.size());
        for (ChatRequest prompt : promptChoices) {
          fanOut.add(adapter.toUpstream(prompt, next));
        }
      } else if (nativeHandler == null) {
        upstreamRequest = adapter.toUpstream(attemptRequest, next);
      } else {
        List<UpstreamRequest> requests = nativeHandler.toUpstreams(attemptRequest, next);
        if (requests.size() == 1) {
          upstreamRequest = requests.get(0);
        } else {
          fanOut = requests;
        }
      }
    } catch (GatewayException e) {
      client.fail(e);
      return;
    } catch (RuntimeException e) {
      // an adapter defect: one log line, and the client learns nothing about the gateway's insides
      LOG.warning(
          () ->
              "building the upstream request for deployment " + deployment.id() + " failed: " + e);
      client.fail(GatewayException.internal("The gateway could not build the upstream request."));
      return;
    }
    client.attemptStarted();
    if (fanOut != null) {
      // several calls for one attempt (one per input, where a provider takes one at a time)
      List<UpstreamRequest> identified = new ArrayList<>(fanOut.size());
      for (UpstreamRequest part : fanOut) {
        identified.add(part.withHeader("x-request-id", client.requestId()));
      }
      FanOut.send(upstream, identified, this);
      return;
    }
    upstream.send(upstreamRequest.withHeader("x-request-id", client.requestId()), this);
  }

  /**
   * Whether a request in a provider's own API goes on, translated, to a provider of another API. A
   * token count is estimated here instead (such providers have no counting call), and a request
   * with something only its own API has is refused rather than sent without it.
   */
  private boolean translatable(NativeRequest nativeRequest) {
    if (nativeRequest.operation() == NativeRequest.Operation.COUNT_TOKENS) {
      client.respond(gatewayHeaders, TokenCounts.estimate(request.clientRequest()));
      return false;
    }
    if (nativeRequest.untranslatable() != null
        && !(nativeRequest.droppable() && route.deployment().dropParams())) {
      client.fail(
          GatewayException.badRequest(
              nativeRequest.untranslatable()
                  + " Model group "
                  + route.deployment().modelGroup()
                  + " is served by a provider that does not take it.",
              null));
      return false;
    }
    return true;
  }

  @Override
  public void onSend(UpstreamCall upstreamCall) {
    call = upstreamCall;
    if (clientGone) {
      upstreamCall.cancel();
    }
  }

  private void resumeUpstream() {
    UpstreamCall running = call;
    if (running != null) {
      running.resume();
    }
  }

  private void cancelUpstream() {
    clientGone = true;
    UpstreamCall running = call;
    if (running != null) {
      running.cancel();
    }
  }

  @Override
  public void onResponse(int status, Map<String, String> headers, byte[] body) {
    if (status < 200 || status >= 300) {
      GatewayException failure = adapter.toError(status, headers, body);
      Map<String, String> rateLimits = RateLimitHeaders.merge(Map.of(), headers);
      nextOrFail(rateLimits.isEmpty() ? failure : failure.withHeaders(rateLimits));
      return;
    }
    ChatCompletion completion;
    try {
      completion = answer(body);
    } catch (GatewayException e) {
      client.attemptFinished(e);
      client.fail(e);
      return;
    } catch (RuntimeException e) {
      client.fail(translationFailed(e));
      return;
    }
    client.attemptFinished(null);
    responseHeaders = RateLimitHeaders.merge(gatewayHeaders, headers);
    if (nativeHandler == null && context.clientRequest().stream()) {
      streamWholeCompletion(completion);
    } else {
      client.respond(responseHeaders, completion);
    }
  }

  /** A whole answer: in the client's own API through its handler, else in the chat schema. */
  private ChatCompletion answer(byte[] upstreamBody) {
    if (promptChoices != null) {
      return PromptChoices.merge(upstreamBody, adapter, context);
    }
    if (nativeHandler == null) {
      return adapter.fromUpstream(upstreamBody, context);
    }
    byte[] answer = nativeHandler.answer(upstreamBody, request.clientRequest());
    return ChatCompletion.ofClientApi(
        answer, nativeHandler.usage(answer), nativeHandler.contentType(request.clientRequest()));
  }

  /** A stream was asked for but the upstream answered with one JSON completion: stream it. */
  private void streamWholeCompletion(ChatCompletion completion) {
    if (!(Json.readOrNull(completion.json()) instanceof ObjectNode object)) {
      client.fail(GatewayException.upstreamProtocol("the response body is not a JSON object"));
      return;
    }
    chunks.addAll(CompletionChunks.of(object, context.clientRequest().includeUsage(), false));
    sendChunks();
    client.endStream(responseHeaders, completion.usage());
  }

  @Override
  public void onStreamStart(int status, Map<String, String> headers) {
    responseHeaders = RateLimitHeaders.merge(gatewayHeaders, headers);
    nativeStream = nativeHandler != null ? nativeHandler.newStream() : null;
    decoder = nativeHandler != null ? null : adapter.newStreamDecoder(context);
  }

  @Override
  public void onEvent(SseEvent event) {
    if (nativeStream != null) {
      passEvent(event);
      return;
    }
    try {
      decoder.onEvent(event, chunks);
    } catch (GatewayException e) {
      chunks.clear();
      call.cancel();
      nextOrFail(e);
      return;
    } catch (RuntimeException e) {
      chunks.clear();
      call.cancel();
      client.fail(translationFailed(e));
      return;
    }
    sendChunks();
  }

  /**
   * An event of an upstream that speaks the client's API goes out as it came. An error event ends
   * the attempt: before anything reached the client the plan may try elsewhere; after, the event
   * itself is the stream's last word.
   */
  private void passEvent(SseEvent event) {
    GatewayException failure;
    try {
      failure = nativeStream.onEvent(event);
    } catch (RuntimeException e) {
      call.cancel();
      client.fail(translationFailed(e));
      return;
    }
    if (failure == null) {
      if (!nativeStream.isTerminator(event)) {
        client.sendEvent(responseHeaders, event);
      }
      return;
    }
    call.cancel();
    if (client.isCommitted()) {
      client.sendEvent(responseHeaders, event);
    }
    nextOrFail(failure);
  }

  /**
   * A translator that throws something else than a GatewayException has a bug: the client gets a
   * clear error (not "unreachable") and the log one line naming it.
   */
  private GatewayException translationFailed(RuntimeException e) {
    LOG.warning(
        () ->
            "translating the response of deployment "
                + route.deployment().id()
                + " failed: "
                + e.getClass().getName());
    return GatewayException.upstreamProtocol("the gateway could not translate it");
  }

  @Override
  public boolean wantsMore() {
    return client.hasRoom();
  }

  @Override
  public void onStreamEnd() {
    if (nativeStream != null) {
      GatewayException cut = nativeStream.onEnd();
      if (cut != null) {
        nextOrFail(cut);
        return;
      }
      client.attemptFinished(null);
      client.endStream(responseHeaders, nativeStream.usage());
      return;
    }
    try {
      decoder.onEnd(chunks);
    } catch (GatewayException e) {
      chunks.clear();
      nextOrFail(e);
      return;
    } catch (RuntimeException e) {
      chunks.clear();
      client.fail(translationFailed(e));
      return;
    }
    client.attemptFinished(null);
    sendChunks();
    client.endStream(responseHeaders, decoder.usage());
  }

  /**
   * A transport failure: its message says what happened to the connection but not where (the
   * upstream's address stays in the gateway's log); the client is told which deployment it was.
   */
  @Override
  public void onFailure(GatewayException failure) {
    Deployment deployment = route.deployment();
    nextOrFail(
        failure.withMessage(
            failure.getMessage()
                + " (model group "
                + deployment.modelGroup()
                + ", deployment "
                + deployment.id()
                + ")"));
  }

  private void sendChunks() {
    for (String chunk : chunks) {
      client.sendChunk(responseHeaders, chunk);
    }
    chunks.clear();
  }

  /** The attempt failed: the plan's next attempt while nothing reached the client, else the end. */
  private void nextOrFail(GatewayException failure) {
    client.attemptFinished(failure);
    if (!clientGone && !client.isCommitted()) {
      if (!plan.nextMayWait()) {
        planNext(failure);
        return;
      }
      try {
        // the plan may wait on the replicas' shared counters: never on an I/O reactor thread
        retryTimer.execute(() -> planNext(failure));
        return;
      } catch (RejectedExecutionException e) {
        // the gateway is stopping: the failure is the answer
      }
    }
    client.fail(failure);
  }

  /** The plan's next attempt after {@code failure}, or the failure as the answer. */
  private void planNext(GatewayException failure) {
    Route next = clientGone || client.isCommitted() ? null : plan.next(route, failure);
    if (next == null) {
      client.fail(failure);
      return;
    }
    long delayMillis = plan.delayMillis();
    if (delayMillis <= 0) {
      attempt(next);
    } else {
      attemptLater(next, delayMillis, failure);
    }
  }

  /** A retry after a backoff: on the timer's thread, unless the client left meanwhile. */
  private void attemptLater(Route next, long delayMillis, GatewayException failure) {
    try {
      // nobody waits for it: the attempt reports its own outcome to the client
      ScheduledFuture<?> unused =
          retryTimer.schedule(
              () -> {
                if (clientGone) {
                  plan.attemptEnded();
                } else {
                  attempt(next);
                }
              },
              delayMillis,
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the gateway is stopping: the failure is the answer
      plan.attemptEnded();
      client.fail(failure);
    }
  }
}
