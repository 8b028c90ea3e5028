package io.feathergate.core.exchange;

import io.feathergate.core.Deployment;
import io.feathergate.core.cache.CacheTicket;
import io.feathergate.core.cache.CachedAnswer;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.errors.SecretRedactor;
import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.keys.Pass;
import io.feathergate.core.routing.AttemptPlan;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Times one request and reports it to the {@link GatewayListener} once it is over. Sits between the
 * exchange and the real {@link ClientChannel}, so it sees exactly what the client gets (status,
 * first chunk, usage, end) whatever provider produced it; the exchange only tells it when upstream
 * attempts start and end.
 */
final class RequestObserver implements ClientChannel {
  static final String CACHE_KEY_HEADER = "x-litellm-cache-key";
  static final String RESPONSE_COST_HEADER = "x-litellm-response-cost";

  private final ClientChannel client;
  private final GatewayListener listener;
  private final SecretRedactor redactor;
  private final ClientInfo info;
  private final String route;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private final long startEpochMillis;
  private final AtomicBoolean finished = new AtomicBoolean();

  private volatile AttemptPlan plan;
  private volatile Deployment deployment;
  private volatile boolean stream;
  private volatile boolean clientGone;
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile boolean attemptOpen;
  private volatile long attemptStartNanos;
  private volatile long upstreamNanos = -1;
  private volatile long firstChunkNanos = -1;
  private volatile TokenUsage usage;
  private volatile Pass pass;
  private volatile CacheTicket cacheTicket;
  private volatile RequestRecord.CacheUse cacheUse = RequestRecord.CacheUse.NONE;
  private volatile String cachedModelGroup;

  RequestObserver(
      ClientChannel client,
      GatewayListener listener,
      SecretRedactor redactor,
      ClientInfo info,
      String route,
      LongSupplier nanoClock,
      long startEpochMillis) {
    this.client = client;
    this.listener = listener;
    this.redactor = redactor;
    this.info = info;
    this.route = route;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.startEpochMillis = startEpochMillis;
    listener.requestStarted();
  }

  /** The request was let in: its answer carries the pass's headers, and its end settles it. */
  void admitted(Pass admittedPass) {
    this.pass = admittedPass;
  }

  /** The answer missed the cache (or was not looked up): it is collected for storing. */
  void collectFor(CacheTicket ticket) {
    this.cacheTicket = ticket;
    this.cacheUse = RequestRecord.CacheUse.MISS;
  }

  /**
   * Answers from the cache: the entry as it was stored (a stream's chunks all queued at once: an
   * entry is bounded in size), with the key's headers, {@code x-litellm-cache-key} and a cost of 0.
   * No upstream was called, so the request counts no tokens and costs nothing.
   */
  void serveCached(CachedAnswer entry, String cacheKey, String modelGroup) {
    cacheUse = RequestRecord.CacheUse.HIT;
    cachedModelGroup = modelGroup;
    stream = entry.stream();
    Pass admittedPass = pass;
    Map<String, String> headers = new HashMap<>();
    if (admittedPass != null) {
      headers.putAll(admittedPass.answerHeaders(null, null));
    }
    headers.put(CACHE_KEY_HEADER, cacheKey);
    headers.put(RESPONSE_COST_HEADER, "0.0");
    long now = nanoClock.getAsLong();
    Map<String, String> answerHeaders =
        GatewayHeaders.withDurations(headers, now - startNanos, now - startNanos);
    if (!entry.stream()) {
      finish(200, null);
      client.respond(
          answerHeaders,
          new ChatCompletion(
              entry.body(), entry.usage(), entry.inClientApi(), entry.contentType()));
      return;
    }
    firstChunkNanos = now;
    client.bind(
        () -> {},
        () -> {
          clientGone = true;
          finish(RequestRecord.CLIENT_CLOSED, "client_closed");
        });
    for (String chunk : entry.chunks()) {
      var unusedRoom = client.sendChunk(answerHeaders, chunk);
    }
    finish(200, null);
    client.endStream(answerHeaders, entry.usage());
  }

  String requestId() {
    return info.requestId();
  }

  /** The plan whose running attempt is ended whenever an attempt or the request ends. */
  void planned(AttemptPlan attemptPlan) {
    this.plan = attemptPlan;
  }

  void routed(Deployment deployment, boolean stream) {
    this.deployment = deployment;
    this.stream = stream;
  }

  void attemptStarted() {
    attempts.incrementAndGet();
    attemptStartNanos = nanoClock.getAsLong();
    attemptOpen = true;
  }

  /** Ends the running attempt; a second call for the same attempt does nothing. */
  void attemptFinished(GatewayException failure) {
    endPlannedAttempt();
    if (!attemptOpen) {
      return;
    }
    attemptOpen = false;
    upstreamNanos = nanoClock.getAsLong() - attemptStartNanos;
    if (!clientGone) {
      // a cancelled call says nothing about the deployment's health
      listener.upstreamAttemptFinished(deployment, failure);
    }
  }

  @Override
  public void respond(Map<String, String> headers, ChatCompletion completion) {
    usage = completion.usage();
    byte[] json = completion.json();
    // audio cannot carry a key back, and rewriting its bytes as text would break it
    byte[] scrubbed =
        completion.contentType().startsWith("audio/")
            ? json
            : SecretRedactor.scrubKey(deployment, json);
    // the same completion when nothing was taken out: always, in practice
    ChatCompletion answer =
        scrubbed == json
            ? completion
            : new ChatCompletion(
                scrubbed, completion.usage(), completion.inClientApi(), completion.contentType());
    CacheTicket ticket = cacheTicket;
    if (ticket != null) {
      // stored as the client gets it; an embedding whose items were partly cached gets them back
      answer = ticket.answered(answer);
    }
    // recorded before the answer goes out: a client that reads the metrics right after its answer
    // finds its request counted
    finish(200, null);
    long now = nanoClock.getAsLong();
    long upstream = upstreamNanos;
    Pass admittedPass = pass;
    Map<String, String> answerHeaders = headers;
    if (admittedPass != null) {
      answerHeaders = new HashMap<>(headers);
      answerHeaders.putAll(admittedPass.answerHeaders(deployment, completion.usage()));
    }
    client.respond(
        GatewayHeaders.withDurations(
            answerHeaders,
            now - startNanos,
            upstream < 0 ? now - startNanos : now - startNanos - upstream),
        answer);
  }

  @Override
  public boolean sendChunk(Map<String, String> headers, String chunkJson) {
    String scrubbed = SecretRedactor.scrubKey(deployment, chunkJson);
    CacheTicket ticket = cacheTicket;
    if (ticket != null) {
      ticket.chunk(scrubbed);
    }
    return client.sendChunk(firstHeaders(headers), scrubbed);
  }

  @Override
  public boolean sendEvent(Map<String, String> headers, SseEvent event) {
    CacheTicket ticket = cacheTicket;
    if (ticket != null) {
      // a stream in the client's own API is not stored: only chat chunks replay in every dialect
      ticket.abandon();
    }
    String data = event.data();
    // an upstream's own error event goes out as it came, but like every error, without a secret
    String sent =
        "error".equals(event.event())
            ? redactor.redact(data)
            : SecretRedactor.scrubKey(deployment, data);
    return client.sendEvent(
        firstHeaders(headers),
        sent.equals(data) ? event : new SseEvent(event.event(), sent, event.id()));
  }

  /**
   * The headers go out with the first chunk or event: the duration so far, and the gateway's part
   * of it, the time before the upstream call that answered began.
   */
  private Map<String, String> firstHeaders(Map<String, String> headers) {
    if (firstChunkNanos >= 0) {
      return headers;
    }
    long now = nanoClock.getAsLong();
    firstChunkNanos = now;
    Pass admittedPass = pass;
    Map<String, String> first = headers;
    if (admittedPass != null) {
      first = new HashMap<>(headers);
      first.putAll(admittedPass.headers());
    }
    return GatewayHeaders.withDurations(first, now - startNanos, attemptStartNanos - startNanos);
  }

  @Override
  public boolean hasRoom() {
    return client.hasRoom();
  }

  @Override
  public void endStream(Map<String, String> headers, TokenUsage streamUsage) {
    usage = streamUsage;
    CacheTicket ticket = cacheTicket;
    if (ticket != null) {
      ticket.streamEnded(streamUsage);
    }
    finish(200, null);
    client.endStream(headers, streamUsage);
  }

  @Override
  public void fail(GatewayException failure) {
    // the one door every error leaves by: whatever an upstream echoed, no credential goes out
    CacheTicket ticket = cacheTicket;
    if (ticket != null) {
      ticket.abandon();
    }
    finish(failure.status(), failure.type());
    client.fail(redactor.redact(withGatewayHeaders(failure)));
  }

  @Override
  public boolean isCommitted() {
    return client.isCommitted();
  }

  @Override
  public void bind(Runnable onDrained, Runnable onClientGone) {
    client.bind(
        onDrained,
        () -> {
          clientGone = true;
          CacheTicket ticket = cacheTicket;
          if (ticket != null) {
            ticket.abandon();
          }
          finish(RequestRecord.CLIENT_CLOSED, "client_closed");
          onClientGone.run();
        });
  }

  /** An error's headers: its own (retry-after, rate limits), the routing ones, the durations. */
  private GatewayException withGatewayHeaders(GatewayException failure) {
    AttemptPlan attemptPlan = plan;
    Deployment routedTo = deployment;
    Map<String, String> headers = failure.headers();
    if (routedTo != null && attemptPlan != null) {
      Map<String, String> routing = attemptPlan.routingHeaders(routedTo);
      Map<String, String> merged = new HashMap<>(routing);
      merged.putAll(headers);
      headers = merged;
    }
    long total = nanoClock.getAsLong() - startNanos;
    long upstream = upstreamNanos;
    return failure.withHeaders(
        GatewayHeaders.withDurations(headers, total, upstream < 0 ? total : total - upstream));
  }

  private void endPlannedAttempt() {
    AttemptPlan attemptPlan = plan;
    if (attemptPlan != null) {
      attemptPlan.attemptEnded();
    }
  }

  private void finish(int status, String errorType) {
    endPlannedAttempt();
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    AttemptPlan attemptPlan = plan;
    long now = nanoClock.getAsLong();
    long firstChunk = firstChunkNanos;
    int attemptCount = attempts.get();
    long ttft = stream && firstChunk >= 0 && attemptCount > 0 ? firstChunk - attemptStartNanos : -1;
    RequestRecord record =
        new RequestRecord(
            info.requestId(),
            startEpochMillis,
            route,
            deployment,
            stream,
            status,
            errorType,
            now - startNanos,
            ttft,
            upstreamNanos,
            usage,
            attemptPlan == null ? Math.max(0, attemptCount - 1) : attemptPlan.retries(),
            attemptPlan == null ? 0 : attemptPlan.fallbacks(),
            attemptPlan == null ? cachedModelGroup : attemptPlan.primaryModelGroup(),
            info.clientAddress(),
            info.principal(),
            cacheUse);
    listener.requestFinished(record);
    Pass admittedPass = pass;
    if (admittedPass != null) {
      admittedPass.settle(record);
    }
  }
}
