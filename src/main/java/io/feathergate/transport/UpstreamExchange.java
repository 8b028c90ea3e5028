package io.feathergate.transport;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.UpstreamCall;
import io.feathergate.core.spi.UpstreamListener;
import io.feathergate.core.spi.UpstreamRequest;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStreamResetException;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;

/**
 * One upstream exchange: receives the response on a reactor thread, decodes events as bytes arrive
 * and hands them to the listener; exactly one outcome reaches the listener.
 *
 * <p>Back-pressure: HttpCore asks for more capacity through {@link #updateCapacity} when the window
 * it granted is used up. While the listener reports the client as behind, the request is parked
 * instead of granted, so the upstream socket is no longer read; {@link #resume()} grants it.
 */
final class UpstreamExchange implements AsyncResponseConsumer<Void>, UpstreamCall {
  private static final int WINDOW = 64 * 1024;
  private static final int MAX_ERROR_BODY_BYTES = 1024 * 1024;
  private static final Logger LOG = Logger.getLogger(UpstreamExchange.class.getName());

  private final UpstreamRequest request;
  private final UpstreamListener listener;
  private final int maxBodyBytes;
  private final String host;
  private final int maxEventBytes;
  private FrameDecoder decoder;
  private final AtomicBoolean finished = new AtomicBoolean();

  private volatile Future<Void> future;

  /** System.nanoTime() by which a whole call must be done; 0 for streams, which have none. */
  private final long deadlineAt;

  private volatile boolean cancelled;
  private volatile Runnable onFinish;

  /** Whether it shares an HTTP/2 connection; set before it starts, read by the I/O thread. */
  private boolean multiplexed;

  /** The HTTP/1.1 exchange's context, which says whether its connection was new; else null. */
  private HttpContext http1Context;

  /** Whether any answer began to arrive: until then, a closed connection may be retried. */
  private volatile boolean answered;

  /**
   * Whether the request's head started going out over HTTP/1.1: before that, the upstream never had
   * it. (Not tracked over HTTP/2; see {@link #closedBeforeTaking}.)
   */
  private volatile boolean sent;

  private final GoAwayLog goAways;

  /** The HTTP/2 exchange's context, which names its connection once it has one; else null. */
  private HttpCoreContext http2Context;

  /** When bytes last arrived; kept only for multiplexed exchanges, whose silence is timed here. */
  private volatile long lastActivity = System.nanoTime();

  // reactor-thread state
  private boolean streaming;
  private int status;
  private Map<String, String> headers;
  private byte[] body;
  private int bodyLength;
  private int bodyLimit;
  private FutureCallback<Void> resultCallback;

  // shared with the client side's resume(): guarded by this
  private CapacityChannel parkedCapacity;

  UpstreamExchange(
      UpstreamRequest request,
      UpstreamListener listener,
      int maxEventBytes,
      int maxBodyBytes,
      GoAwayLog goAways) {
    this.request = request;
    this.goAways = goAways;
    this.listener = listener;
    this.maxBodyBytes = maxBodyBytes;
    this.host =
        request.uri().getHost()
            + (request.uri().getPort() > 0 ? ":" + request.uri().getPort() : "");
    this.maxEventBytes = maxEventBytes;
    this.deadlineAt =
        request.deadline() == null ? 0 : (System.nanoTime() + request.deadline().toNanos()) | 1;
  }

  UpstreamRequest request() {
    return request;
  }

  /** The request's head is going out (called by the transport's request producer). */
  void requestSent() {
    this.sent = true;
  }

  /** Marks the exchange as one stream of a shared HTTP/2 connection; before it starts. */
  void multiplexed() {
    this.multiplexed = true;
  }

  /** Goes over HTTP/2 with this context; before it starts. */
  void onHttp2(HttpCoreContext context) {
    this.http2Context = context;
  }

  /** Goes over HTTP/1.1 with this context; before it starts. */
  void onHttp1(HttpContext context) {
    this.http1Context = context;
  }

  boolean isMultiplexed() {
    return multiplexed;
  }

  /** Runs once when the outcome is decided; set before the exchange starts. */
  void whenFinished(Runnable action) {
    this.onFinish = action;
  }

  /**
   * Called every few hundred milliseconds: ends the exchange once its deadline has passed or, when
   * it shares an HTTP/2 connection (whose socket timeout cannot tell its streams apart), when
   * nothing arrived for longer than its idle timeout.
   */
  void checkTimers(long now) {
    if (deadlineAt != 0 && now - deadlineAt >= 0) {
      deadlineReached();
    } else if (multiplexed && now - lastActivity > request.idleTimeout().toNanos() && finish()) {
      listener.onFailure(
          GatewayException.upstreamTimeout("the upstream sent nothing within the timeout"));
      abort();
    }
  }

  void start(Future<Void> future) {
    this.future = future;
    if (cancelled) {
      future.cancel(true);
    }
  }

  FutureCallback<Void> completion() {
    return new FutureCallback<>() {
      @Override
      public void completed(Void result) {
        // outcomes are reported from the consumer callbacks
      }

      @Override
      public void failed(Exception failure) {
        fail(classify(failure));
      }

      @Override
      public void cancelled() {
        // only this gateway cancels; whoever did already knows
      }
    };
  }

  private void deadlineReached() {
    if (finish()) {
      listener.onFailure(
          GatewayException.upstreamTimeout(
              "the upstream did not answer within "
                  + request.deadline().toMillis() / 1000.0
                  + " s"));
      abort();
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    finish();
    abort();
    // HttpCore does not close an HTTP/1.1 connection whose response is being read when the
    // exchange is cancelled: let bytes flow again so that consume() sees the cancellation and
    // fails the connection, which closes it and tells the upstream to stop.
    resume();
  }

  private void abort() {
    Future<Void> running = future;
    if (running != null) {
      running.cancel(true);
    }
  }

  @Override
  public void resume() {
    CapacityChannel grant = unpark();
    if (grant != null) {
      try {
        grant.update(WINDOW);
      } catch (IOException e) {
        fail(UpstreamFailures.classify(e, host));
      }
    }
  }

  @Override
  public void consumeResponse(
      HttpResponse response,
      EntityDetails entityDetails,
      HttpContext context,
      FutureCallback<Void> resultCallback) {
    this.answered = true;
    this.resultCallback = resultCallback;
    if (multiplexed) {
      lastActivity = System.nanoTime();
    }
    this.status = response.getCode();
    this.headers = new HashMap<>();
    for (Header header : response.getHeaders()) {
      headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
    }
    boolean success = status >= 200 && status < 300;
    // a 2xx answer to a stream request is read as events, unless the upstream plainly sent one
    // JSON document instead (some OpenAI-compatible servers ignore "stream"): then it is whole
    this.streaming = success && request.stream() && !isJson(headers.get("content-type"));
    if (streaming) {
      // server-sent events, Ollama's JSON lines or Bedrock's binary event stream, by content type
      decoder = FrameDecoder.forContentType(headers.get("content-type"), maxEventBytes);
      if (!finished.get()) {
        try {
          listener.onStreamStart(status, headers);
        } catch (RuntimeException | LinkageError e) {
          abandon(e);
        }
      }
    } else {
      bodyLimit = success ? maxBodyBytes : MAX_ERROR_BODY_BYTES;
      body = new byte[8 * 1024];
    }
    if (entityDetails == null) {
      streamEnd(List.of());
    }
  }

  private static boolean isJson(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context) {
    // 1xx answers carry nothing for the gateway
  }

  /**
   * Grants more input unless the client is behind. Parks first and checks after, so that a client
   * catching up in between (and finding nothing parked) cannot leave the exchange parked forever.
   */
  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
    synchronized (this) {
      parkedCapacity = capacityChannel;
    }
    if (cancelled || !streaming || listener.wantsMore()) {
      CapacityChannel grant = unpark();
      if (grant != null) {
        grant.update(WINDOW);
      }
    }
  }

  private synchronized CapacityChannel unpark() {
    CapacityChannel parked = parkedCapacity;
    parkedCapacity = null;
    return parked;
  }

  @Override
  public void consume(ByteBuffer src) throws IOException {
    if (finished.get()) {
      // the outcome is decided (cancelled, timed out): the rest of this response is unwanted and
      // the connection cannot be reused, so failing here makes HttpCore close an HTTP/1.1
      // connection; on HTTP/2 this exception resets only this exchange's stream
      throw new HttpStreamResetException("exchange abandoned by the gateway");
    }
    if (multiplexed) {
      lastActivity = System.nanoTime();
    }
    if (streaming) {
      decoder.feed(src, this::deliver);
    } else {
      collect(src);
    }
  }

  private void deliver(SseEvent event) {
    if (!finished.get()) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException | LinkageError e) {
        abandon(e);
      }
    }
  }

  private void collect(ByteBuffer src) {
    int incoming = src.remaining();
    int room = bodyLimit - bodyLength;
    if (incoming > room) {
      if (status >= 200 && status < 300) {
        throw new UpstreamProtocolException("the response body exceeds " + bodyLimit + " bytes");
      }
      incoming = room; // an oversized error body is cut; its start holds the message
    }
    if (bodyLength + incoming > body.length) {
      body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + incoming));
    }
    src.get(body, bodyLength, incoming);
    bodyLength += incoming;
    src.position(src.limit());
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) {
    if (streaming) {
      decoder.finish(this::deliver);
      if (finish()) {
        try {
          listener.onStreamEnd();
        } catch (RuntimeException | LinkageError e) {
          logAbandoned(e);
        }
      }
    } else if (finish()) {
      try {
        listener.onResponse(status, headers, Arrays.copyOf(body, bodyLength));
      } catch (RuntimeException | LinkageError e) {
        reportInternal(e);
      }
    }
    if (resultCallback != null) {
      resultCallback.completed(null);
    }
  }

  @Override
  public void failed(Exception cause) {
    fail(classify(cause));
  }

  private static SocketAddress localAddress(HttpCoreContext context) {
    EndpointDetails endpoint = context == null ? null : context.getEndpointDetails();
    return endpoint == null ? null : endpoint.getLocalAddress();
  }

  /** Names a failure, and says whether it came before the upstream could take the request. */
  private GatewayException classify(Exception cause) {
    GatewayException failure = UpstreamFailures.classify(cause, host);
    return !answered && UpstreamFailures.notSent(cause, closedBeforeTaking())
        ? failure.asNotSent()
        : failure;
  }

  /**
   * Whether a closed connection certainly closed before the upstream took the request: on HTTP/1.1,
   * when the request had not started going out, or went out on a pooled connection the upstream had
   * closed as idle; on HTTP/2, when no connection had opened a stream for it yet (HttpCore's
   * requester produces the request's head before it has a connection, so the head going out says
   * nothing there: the connection names itself in the context when it opens the stream), or when
   * its connection was retired gracefully.
   */
  private boolean closedBeforeTaking() {
    if (http1Context != null) {
      return !sent || http1Context.getAttribute(FreshConnectionMarker.FRESH) == null;
    }
    SocketAddress local = localAddress(http2Context);
    return local == null || goAways.retired(local);
  }

  private void fail(GatewayException failure) {
    if (finish()) {
      try {
        listener.onFailure(failure);
      } catch (RuntimeException | LinkageError e) {
        logAbandoned(e);
      }
    }
  }

  /*
   * The listener runs on an I/O thread that serves every other exchange too: whatever it throws
   * (a defect, or a class that cannot load because the process is out of file descriptors) must end
   * this exchange only, never that thread.
   */

  /** The listener failed while the exchange was under way: the client gets an error instead. */
  private void abandon(Throwable e) {
    if (finish()) {
      reportInternal(e);
    }
    abort();
  }

  private void reportInternal(Throwable e) {
    logAbandoned(e);
    try {
      listener.onFailure(GatewayException.internal("the gateway failed to relay the response"));
    } catch (RuntimeException | LinkageError again) {
      // nothing more can be told to this client; logged above
    }
  }

  private static void logAbandoned(Throwable e) {
    LOG.log(Level.WARNING, "upstream exchange abandoned: the gateway failed handling it", e);
  }

  /** Marks the exchange finished; true for the one caller that gets to report the outcome. */
  private boolean finish() {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    Runnable action = onFinish;
    if (action != null) {
      action.run();
    }
    return true;
  }

  @Override
  public void releaseResources() {
    body = null;
  }
}
