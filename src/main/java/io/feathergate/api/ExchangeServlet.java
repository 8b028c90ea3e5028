package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.exchange.ClientInfo;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The routes that run an exchange with an upstream, each in its client's dialect ({@link
 * ExchangeRoute}): {@code POST /v1/chat/completions}, {@code /v1/messages}, {@code
 * /v1/messages/count_tokens}, {@code /v1/responses}, {@code /v1/embeddings}, {@code
 * /v1/images/generations}, {@code /v1/moderations}, {@code /v1/completions}, {@code /v1/rerank},
 * {@code /v1/audio/speech} and the uploads {@code /v1/audio/transcriptions} and {@code
 * /v1/audio/translations} (OpenAI's also without {@code /v1}). Asynchronous from the first byte:
 * the body is read with a {@link ReadListener} (an upload's onto disk, {@link UploadSpool}), the
 * answer written by a {@link ServletClientChannel}; no thread is held while the upstream works.
 */
public final class ExchangeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ExchangeServlet.class.getName());

  /** The answer while the JVM is short of memory; the guard's log line says which memory. */
  private static final GatewayException SHORT_OF_MEMORY =
      GatewayException.serviceUnavailable(
              "The gateway is short of memory and takes no new requests until those in flight"
                  + " finish; retry shortly.")
          .withHeaders(Map.of("retry-after", "1"));

  /**
   * Loaded on start-up after Jersey (web.xml), so that Jersey's initialisation overlaps the
   * gateway's own; the container then waits here for both, and a gateway that failed to start fails
   * its deployment.
   */
  @Override
  public void init() throws ServletException {
    ApiServices.awaitStart(getServletContext());
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      ErrorResponses.send(
          request,
          response,
          GatewayException.methodNotAllowed(request.getMethod(), request.getRequestURI()));
      return;
    }
    ApiServices services = ApiServices.of(getServletContext());
    if (services == null) {
      ErrorResponses.send(
          request,
          response,
          GatewayException.internal("The gateway failed to start; see its log."));
      return;
    }
    long limit = services.config().settings().maxRequestBytes();
    long declared = request.getContentLengthLong();
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // the exchange enforces the upstream timeouts itself
    String route = request.getServletPath();
    ClientInfo info =
        new ClientInfo(
            RequestIdFilter.of(request), request.getRemoteAddr(), AuthFilter.principalOf(request));
    ExchangeRoute dialect =
        ExchangeRoute.of(route, services.responses(), info.principal().keyHash());
    if (declared > limit + BodyReader.DISCARD_LIMIT) {
      // too big even to read and throw away: answer now and drop the connection
      reject(
          services, info, route, dialect, async, response, GatewayException.payloadTooLarge(limit));
      return;
    }
    String shortage = services.memory().shortage();
    if (shortage != null) {
      // the body is not read: reject() closes the connection, which also frees its buffers
      reject(services, info, route, dialect, async, response, SHORT_OF_MEMORY);
      return;
    }
    NativeApi upload = ExchangeRoute.upload(route);
    if (upload != null) {
      spoolUpload(
          services, info, route, dialect, upload, request, async, response, limit, declared);
      return;
    }
    ServletInputStream in = request.getInputStream();
    Map<String, String> clientHeaders = forwardableHeaders(request);
    byte[] whole;
    try {
      // the usual small request arrived whole with its headers: take it now, which reads nothing
      // from the network and so cannot block, instead of a read-listener round through the
      // container
      whole =
          declared > 0 && declared <= limit && in.available() >= declared
              ? in.readNBytes((int) declared)
              : null;
    } catch (IOException e) {
      reject(services, info, route, dialect, async, response, unreadable(e));
      return;
    }
    if (whole != null) {
      handle(services, info, route, dialect, whole, clientHeaders, async, response);
      return;
    }
    BodyReader reader =
        new BodyReader(
            async,
            in,
            response,
            services,
            route,
            dialect,
            info,
            clientHeaders,
            limit,
            declared,
            null);
    in.setReadListener(reader);
    reader.startTimer(services.config().settings().requestBodyTimeout());
  }

  /**
   * An upload's body is written to disk as it arrives, then read from there: its fields into
   * memory, its file never (it goes upstream from the disk).
   */
  private void spoolUpload(
      ApiServices services,
      ClientInfo info,
      String route,
      ExchangeRoute errors,
      NativeApi upload,
      HttpServletRequest request,
      AsyncContext async,
      HttpServletResponse response,
      long limit,
      long declared)
      throws IOException {
    String boundary = MultipartForm.boundary(request.getContentType());
    if (boundary == null) {
      reject(
          services,
          info,
          route,
          errors,
          async,
          response,
          GatewayException.badRequest(
              "Invalid Content-Type header: expected multipart/form-data with a boundary.", null));
      return;
    }
    UploadSpool spool;
    try {
      spool = UploadSpool.create(getServletContext(), async);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not create an upload spool", e);
      reject(
          services,
          info,
          route,
          errors,
          async,
          response,
          GatewayException.internal("The gateway could not store the upload."));
      return;
    }
    ServletInputStream in = request.getInputStream();
    BodyReader reader =
        new BodyReader(
            async,
            in,
            response,
            services,
            route,
            ExchangeRoute.upload(upload, spool.path(), boundary),
            info,
            forwardableHeaders(request),
            limit,
            declared,
            spool);
    in.setReadListener(reader);
    reader.startTimer(services.config().settings().requestBodyTimeout());
  }

  /** A whole request body goes to the chat service, the answer to the client's channel. */
  private static void handle(
      ApiServices services,
      ClientInfo info,
      String route,
      ExchangeRoute dialect,
      byte[] body,
      Map<String, String> clientHeaders,
      AsyncContext async,
      HttpServletResponse response)
      throws IOException {
    services
        .chat()
        .handle(
            info,
            route,
            dialect.reader(),
            body,
            clientHeaders,
            channel(async, response, info, dialect));
  }

  /** The client's side of the exchange, in the route's dialect. */
  private static ServletClientChannel channel(
      AsyncContext async, HttpServletResponse response, ClientInfo info, ExchangeRoute dialect)
      throws IOException {
    return new ServletClientChannel(async, response, info.requestId(), dialect.dialect());
  }

  /**
   * Answers a request whose body was not (or not wholly) read, and closes the connection: what the
   * client sends next cannot be told apart from the rest of that body. Core reports it like any
   * other request, so it has its access-log line.
   */
  private static void reject(
      ApiServices services,
      ClientInfo info,
      String route,
      ExchangeRoute dialect,
      AsyncContext async,
      HttpServletResponse response,
      GatewayException failure)
      throws IOException {
    response.setHeader("Connection", "close");
    services.chat().reject(info, route, failure, channel(async, response, info, dialect));
  }

  /**
   * What the client is told when the container could not deliver its body. A timeout is the
   * container's own read timeout (Jetty's idle timeout, Tomcat's connection timeout), recognised by
   * the JDK's exception types so that this works in any container. Anything else is broken framing
   * (a bad chunk size, chunk extension, line end or trailer) or a body cut short by the client
   * closing its side: containers do not reliably tell the two apart (Jetty reports both as an early
   * end of file), so one message covers both. Their message is not repeated: it names their own
   * classes.
   */
  static GatewayException unreadable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
        return GatewayException.bodyTimeout("the server's read timeout expired.");
      }
    }
    return GatewayException.unreadableBody(
        "its chunked framing is invalid, or the connection ended before the whole body"
            + " (Content-Length, or the last chunk) arrived.");
  }

  /** A duration as the config would write it: {@code 30}, {@code 2.5}. */
  static String seconds(long nanos) {
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
  }

  private static Map<String, String> forwardableHeaders(HttpServletRequest request) {
    Map<String, String> headers = new HashMap<>(2);
    for (String name : ChatRequest.FORWARDABLE_HEADERS) {
      String value = request.getHeader(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    return headers;
  }

  /**
   * Collects the request body without blocking, up to the size limit. A body over the limit is read
   * on and thrown away before the 413 goes out: a client still sending when the connection closed
   * would get a reset instead of the answer. A body the container cannot deliver (broken framing,
   * an early end) is a 400, a body that stops arriving for {@code request_body_timeout} a 408; each
   * is answered once, by whichever of the container's threads and the timer gets there first.
   */
  private static final class BodyReader implements ReadListener, Runnable {
    /** How much of an oversized body is read and discarded before giving up on the connection. */
    static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    private static final long INITIAL_BUFFER = 64 * 1024;

    private final AsyncContext async;
    private final ServletInputStream in;
    private final HttpServletResponse response;
    private final ApiServices services;
    private final String route;
    private final ExchangeRoute dialect;
    private final ClientInfo info;
    private final Map<String, String> clientHeaders;
    private final long limit;

    /** Where an upload is written; null for a body read into {@link #body}. */
    private final UploadSpool spool;

    /** The body so far; an upload's transfer buffer; null once over the limit. */
    private byte[] body;

    private int length;
    private long spooled;
    private long discarded;
    private byte[] scratch;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile long lastReadNanos = System.nanoTime();
    private long timeoutNanos;
    private volatile ScheduledFuture<?> timer;

    BodyReader(
        AsyncContext async,
        ServletInputStream in,
        HttpServletResponse response,
        ApiServices services,
        String route,
        ExchangeRoute dialect,
        ClientInfo info,
        Map<String, String> clientHeaders,
        long limit,
        long declared,
        UploadSpool spool) {
      this.async = async;
      this.in = in;
      this.response = response;
      this.services = services;
      this.route = route;
      this.dialect = dialect;
      this.info = info;
      this.clientHeaders = clientHeaders;
      this.limit = limit;
      this.spool = spool;
      // a declared length is a hint, not a promise: start small so that many slow clients that
      // announce large bodies cannot reserve the gateway's memory before they send anything; an
      // upload only ever needs its transfer buffer
      this.body =
          spool != null
              ? new byte[(int) INITIAL_BUFFER]
              : new byte
                  [(int)
                      Math.min(
                          Math.min(limit + 1, INITIAL_BUFFER), declared > 0 ? declared : 4096)];
    }

    /** Arms the body timeout; re-armed while the body keeps arriving. */
    void startTimer(Duration timeout) {
      timeoutNanos = timeout.toNanos();
      if (!answered.get()) {
        schedule(timeoutNanos);
      }
    }

    private void schedule(long delayNanos) {
      try {
        timer = services.bodyTimer().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException stopping) {
        // the gateway is being undeployed: the container ends the request itself
      }
      if (answered.get()) {
        cancelTimer(); // answered while the timer was being set
      }
    }

    private void cancelTimer() {
      ScheduledFuture<?> pending = timer;
      if (pending != null) {
        pending.cancel(false);
      }
    }

    /** The timer: nothing came for the whole timeout, or it is re-armed for what is left. */
    @Override
    public void run() {
      long silent = System.nanoTime() - lastReadNanos;
      if (silent < timeoutNanos) {
        if (!answered.get()) {
          schedule(timeoutNanos - silent);
        }
        return;
      }
      answer(
          GatewayException.bodyTimeout(
              "nothing came for "
                  + seconds(timeoutNanos)
                  + " seconds (general_settings.request_body_timeout)."));
    }

    /** Answers with this failure, unless the request was already answered. */
    private void answer(GatewayException failure) {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      cancelTimer();
      try {
        reject(services, info, route, dialect, async, response, failure);
      } catch (IOException | IllegalStateException e) {
        // the container already gave up on this request (the client is gone): nobody to tell
        completeQuietly();
      }
    }

    private void completeQuietly() {
      try {
        async.complete();
      } catch (IllegalStateException alreadyCompleted) {
        // completed by the container
      }
    }

    @Override
    public void onDataAvailable() throws IOException {
      while (!answered.get() && in.isReady()) {
        if (body == null) {
          int read = in.read(scratch);
          if (read < 0) {
            return;
          }
          lastReadNanos = System.nanoTime();
          discarded += read;
          if (discarded > DISCARD_LIMIT) {
            answer(GatewayException.payloadTooLarge(limit));
          }
          continue;
        }
        if (spool != null) {
          if (!spoolSome()) {
            return;
          }
          continue;
        }
        if (length == body.length) {
          body = Arrays.copyOf(body, (int) Math.min(limit + 1, (long) body.length * 2));
        }
        int read = in.read(body, length, body.length - length);
        if (read < 0) {
          return;
        }
        lastReadNanos = System.nanoTime();
        length += read;
        if (length > limit) {
          body = null; // over the limit: keep reading, but nothing more is kept
          scratch = new byte[8192];
        }
      }
    }

    /** Reads what is ready of an upload onto the disk; false at the end of the body. */
    private boolean spoolSome() throws IOException {
      int read = in.read(body, 0, body.length);
      if (read < 0) {
        return false;
      }
      lastReadNanos = System.nanoTime();
      spooled += read;
      if (spooled > limit) {
        spool.delete();
        body = null; // over the limit: keep reading, but nothing more is kept
        scratch = new byte[8192];
        return true;
      }
      try {
        spool.write(body, read);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "writing an upload to disk failed", e);
        answer(GatewayException.internal("The gateway could not store the upload."));
      }
      return true;
    }

    @Override
    public void onAllDataRead() throws IOException {
      if (body == null) {
        // read to its end and thrown away: the connection can carry the next request
        if (answered.compareAndSet(false, true)) {
          cancelTimer();
          services
              .chat()
              .reject(
                  info,
                  route,
                  GatewayException.payloadTooLarge(limit),
                  channel(async, response, info, dialect));
        }
        return;
      }
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      cancelTimer();
      if (spool != null) {
        spool.close();
        // the route's reader reads the spooled form
        handle(services, info, route, dialect, new byte[0], clientHeaders, async, response);
        return;
      }
      byte[] clientBody = length == body.length ? body : Arrays.copyOf(body, length);
      handle(services, info, route, dialect, clientBody, clientHeaders, async, response);
    }

    @Override
    public void onError(Throwable failure) {
      // the body could not be read; if the client is still there it learns why, and the request is
      // logged either way
      LOG.log(
          Level.FINE,
          "request {0}: body unreadable: {1}",
          new Object[] {info.requestId(), failure});
      answer(unreadable(failure));
    }
  }
}
