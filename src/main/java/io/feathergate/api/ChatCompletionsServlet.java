package io.feathergate.api;

import io.feathergate.core.ChatRequest;
import io.feathergate.core.ClientInfo;
import io.feathergate.core.GatewayException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /v1/chat/completions} and {@code /chat/completions}. Asynchronous from the first
 * byte: the body is read with a {@link ReadListener}, the answer written by a {@link
 * ServletClientChannel}; no thread is held while the upstream works.
 */
public final class ChatCompletionsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

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
    if (declared > limit + BodyReader.DISCARD_LIMIT) {
      // too big even to read and throw away: answer now and drop the connection
      response.setHeader("Connection", "close");
      ErrorResponses.send(request, response, GatewayException.payloadTooLarge(limit));
      return;
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // the exchange enforces the upstream timeouts itself
    String route = request.getServletPath();
    ServletInputStream in = request.getInputStream();
    ClientInfo info = new ClientInfo(RequestIdFilter.of(request), request.getRemoteAddr());
    Map<String, String> clientHeaders = forwardableHeaders(request);
    if (declared > 0 && declared <= limit && in.available() >= declared) {
      // the usual small request arrived whole with its headers: take it now, which reads nothing
      // from the network and so cannot block, instead of a read-listener round through the
      // container
      handle(services, info, route, in.readNBytes((int) declared), clientHeaders, async, response);
      return;
    }
    in.setReadListener(
        new BodyReader(async, in, response, services, route, info, clientHeaders, limit, declared));
  }

  /** A whole request body goes to the chat service, the answer to the client's channel. */
  private static void handle(
      ApiServices services,
      ClientInfo info,
      String route,
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
            body,
            clientHeaders,
            new ServletClientChannel(async, response, info.requestId()));
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
   * would get a reset instead of the answer.
   */
  private static final class BodyReader implements ReadListener {
    /** How much of an oversized body is read and discarded before giving up on the connection. */
    static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    private static final long INITIAL_BUFFER = 64 * 1024;

    private final AsyncContext async;
    private final ServletInputStream in;
    private final HttpServletResponse response;
    private final ApiServices services;
    private final String route;
    private final ClientInfo info;
    private final Map<String, String> clientHeaders;
    private final long limit;
    private byte[] body;
    private int length;
    private long discarded;
    private byte[] scratch;
    private boolean answered;

    BodyReader(
        AsyncContext async,
        ServletInputStream in,
        HttpServletResponse response,
        ApiServices services,
        String route,
        ClientInfo info,
        Map<String, String> clientHeaders,
        long limit,
        long declared) {
      this.async = async;
      this.in = in;
      this.response = response;
      this.services = services;
      this.route = route;
      this.info = info;
      this.clientHeaders = clientHeaders;
      this.limit = limit;
      // a declared length is a hint, not a promise: start small so that many slow clients that
      // announce large bodies cannot reserve the gateway's memory before they send anything
      this.body =
          new byte
              [(int) Math.min(Math.min(limit + 1, INITIAL_BUFFER), declared > 0 ? declared : 4096)];
    }

    @Override
    public void onDataAvailable() throws IOException {
      while (!answered && in.isReady()) {
        if (body == null) {
          int read = in.read(scratch);
          if (read < 0) {
            return;
          }
          discarded += read;
          if (discarded > DISCARD_LIMIT) {
            response.setHeader("Connection", "close");
            reject();
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
        length += read;
        if (length > limit) {
          body = null; // over the limit: keep reading, but nothing more is kept
          scratch = new byte[8192];
        }
      }
    }

    private void reject() throws IOException {
      answered = true;
      new ServletClientChannel(async, response, info.requestId())
          .fail(GatewayException.payloadTooLarge(limit));
    }

    @Override
    public void onAllDataRead() throws IOException {
      if (answered) {
        return;
      }
      if (body == null) {
        reject();
        return;
      }
      answered = true;
      byte[] clientBody = length == body.length ? body : Arrays.copyOf(body, length);
      handle(services, info, route, clientBody, clientHeaders, async, response);
    }

    @Override
    public void onError(Throwable failure) {
      // the client went away while sending its request: nothing to answer
      try {
        async.complete();
      } catch (IllegalStateException alreadyCompleted) {
        // completed by the container
      }
    }
  }
}
