package io.feathergate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RateControl;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An OpenAI-compatible upstream that answers at once: the baseline every gateway figure is compared
 * with. Jetty core handler, no servlet layer, keep-alive, HTTP/1.1 and h2c (prior knowledge) on the
 * same port.
 *
 * <p>The requested model picks the stream's shape: a name ending in {@code -s<chunks>x<gapMillis>}
 * streams that many chunks that far apart (default 10 chunks, no gap); {@code silent} sends one
 * chunk and then nothing. Each chunk carries the time it was written, in microseconds since the
 * epoch, as {@code "system_fingerprint":"t<micros>"}, so a client on the same machine can tell how
 * long the chunk took to reach it. A model named {@code error…} is answered with a 500; a stream of
 * a model named {@code cut…} is cut after its chunks, without its end.
 *
 * <p>Standalone: {@code FastUpstream [port]} prints {@code port=<n>} and serves until killed.
 */
public final class FastUpstream implements AutoCloseable {
  static final byte[] COMPLETION =
      ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1741569952,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
              + "\"content\":\"Hello! How can I assist you today?\",\"refusal\":null},\"logprobs\":null,"
              + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,"
              + "\"total_tokens\":29}}")
          .getBytes(StandardCharsets.UTF_8);

  static final byte[] ERROR =
      "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"
          .getBytes(StandardCharsets.UTF_8);

  /** A whole answer of Anthropic's Messages API, for requests to {@code /v1/messages}. */
  static final byte[] MESSAGE =
      ("{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
              + "\"claude-bench\",\"content\":[{\"type\":\"text\",\"text\":\"Hello! How can I"
              + " assist you today?\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
              + "\"usage\":{\"input_tokens\":19,\"output_tokens\":10}}")
          .getBytes(StandardCharsets.UTF_8);

  private static final byte[] MESSAGE_START =
      ("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"
              + "\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
              + "\"claude-bench\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
              + "\"usage\":{\"input_tokens\":19,\"output_tokens\":1}}}\n\n"
              + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
              + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n")
          .getBytes(StandardCharsets.UTF_8);

  private static final byte[] MESSAGE_END =
      ("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
              + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
              + "{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":"
              + "{\"output_tokens\":10}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
          .getBytes(StandardCharsets.UTF_8);

  /** A transcription's answer. */
  static final byte[] TRANSCRIPTION =
      "{\"text\":\"Hello there.\"}".getBytes(StandardCharsets.UTF_8);

  /** A whole answer of OpenAI's Responses API, for requests to {@code /v1/responses}. */
  static final byte[] RESPONSE =
      ("{\"id\":\"resp_bench\",\"object\":\"response\",\"created_at\":1741476542,"
              + "\"status\":\"completed\",\"model\":\"gpt-4.1\",\"output\":[{\"type\":"
              + "\"message\",\"id\":\"msg_bench\",\"status\":\"completed\",\"role\":"
              + "\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":"
              + "\"Hello! How can I assist you today?\",\"annotations\":[]}]}],\"usage\":"
              + "{\"input_tokens\":19,\"output_tokens\":10,\"total_tokens\":29}}")
          .getBytes(StandardCharsets.UTF_8);

  /** A Responses API stream of one short text turn. */
  static final byte[] RESPONSE_EVENTS = responseEvents();

  /** Where the stream's first write ends: after its first three events. */
  static final int RESPONSE_EVENTS_HALF =
      new String(RESPONSE_EVENTS, StandardCharsets.UTF_8).indexOf("event: response.output_text");

  private static byte[] responseEvents() {
    String[][] events = {
      {
        "response.created",
        "\"response\":{\"id\":\"resp_bench\",\"status\":\"in_progress\",\"output\":[]}"
      },
      {
        "response.in_progress",
        "\"response\":{\"id\":\"resp_bench\",\"status\":\"in_progress\",\"output\":[]}"
      },
      {
        "response.output_item.added",
        "\"output_index\":0,\"item\":{\"id\":\"msg_b\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}"
      },
      {
        "response.output_text.delta",
        "\"item_id\":\"msg_b\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hello!\""
      },
      {
        "response.output_item.done",
        "\"output_index\":0,\"item\":{\"id\":\"msg_b\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hello!\",\"annotations\":[]}]}"
      },
      {
        "response.completed",
        "\"response\":{\"id\":\"resp_bench\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":19,\"output_tokens\":2,\"total_tokens\":21}}"
      }
    };
    StringBuilder stream = new StringBuilder();
    for (int i = 0; i < events.length; i++) {
      stream.append("event: ").append(events[i][0]).append("\ndata: {\"type\":\"");
      stream.append(events[i][0]).append("\",\"sequence_number\":").append(i).append(',');
      stream.append(events[i][1]).append("}\n\n");
    }
    return stream.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** OpenAI's embeddings of two inputs, 1,536 dimensions each, as text-embedding-3-small. */
  static final byte[] EMBEDDINGS = embeddings(false);

  /** The same vectors as Gemini's {@code batchEmbedContents} answers them. */
  static final byte[] GEMINI_EMBEDDINGS = embeddings(true);

  private static byte[] embeddings(boolean gemini) {
    StringBuilder vector = new StringBuilder("[");
    for (int i = 0; i < 1536; i++) {
      vector.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.9f", Math.sin(i) / 10));
    }
    vector.append(']');
    String body =
        gemini
            ? "{\"embeddings\":[{\"values\":" + vector + "},{\"values\":" + vector + "}]}"
            : "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":"
                + vector
                + "},{\"object\":\"embedding\",\"index\":1,\"embedding\":"
                + vector
                + "}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":7,"
                + "\"total_tokens\":7}}";
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
  private static final Pattern SHAPE = Pattern.compile("-s(\\d+)x(\\d+)$");
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  /** One request as the upstream saw it. */
  public record Seen(String protocol, String connectionId, String model) {}

  private final Server server;
  private final ServerConnector connector;
  private final boolean recording;
  private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final AtomicInteger openStreams = new AtomicInteger();
  private final AtomicLong abortedStreams = new AtomicLong();

  /** A recording upstream on an ephemeral port, for tests. */
  public FastUpstream() throws Exception {
    this(0, true);
  }

  public FastUpstream(int port, boolean recording) throws Exception {
    this(port, recording, null);
  }

  /**
   * A recording HTTPS upstream with the test certificate ({@code src/test/resources/tls}) that
   * offers HTTP/2 through ALPN or, if not, HTTP/1.1 only.
   */
  public static FastUpstream tls(boolean offerHttp2) throws Exception {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStorePath("src/test/resources/tls/localhost.p12");
    tls.setKeyStorePassword("changeit");
    tls.setKeyStoreType("PKCS12");
    return new FastUpstream(0, true, new TlsSetup(tls, offerHttp2));
  }

  private record TlsSetup(SslContextFactory.Server context, boolean offerHttp2) {}

  private FastUpstream(int port, boolean recording, TlsSetup tlsSetup) throws Exception {
    this.recording = recording;
    QueuedThreadPool threads = new QueuedThreadPool(64, 8);
    threads.setName("fast-upstream");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
    // one gateway connection may carry every stream of a 10,000-stream run
    h2c.setMaxConcurrentStreams(20_000);
    h2c.setRateControlFactory(new RateControl.Factory() {});
    if (tlsSetup == null) {
      connector = new ServerConnector(server, new HttpConnectionFactory(http), h2c);
    } else {
      HttpConfiguration https = new HttpConfiguration(http);
      https.addCustomizer(new SecureRequestCustomizer(false));
      HttpConnectionFactory http1 = new HttpConnectionFactory(https);
      ALPNServerConnectionFactory alpn =
          tlsSetup.offerHttp2()
              ? new ALPNServerConnectionFactory("h2", "http/1.1")
              : new ALPNServerConnectionFactory("http/1.1");
      alpn.setDefaultProtocol("http/1.1");
      SslConnectionFactory ssl = new SslConnectionFactory(tlsSetup.context(), alpn.getProtocol());
      connector =
          tlsSetup.offerHttp2()
              ? new ServerConnector(
                  server, ssl, alpn, new HTTP2ServerConnectionFactory(https), http1)
              : new ServerConnector(server, ssl, alpn, http1);
    }
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setAcceptQueueSize(4096);
    connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(5));
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          // the outcome goes to the callback, not to the future
          @SuppressWarnings("FutureReturnValueIgnored")
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            // an upload's bytes are not text: read so that any byte is one character
            boolean upload = Request.getPathInContext(request).endsWith("/audio/transcriptions");
            Content.Source.asStringAsync(
                    request, upload ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8)
                .whenComplete(
                    (body, failure) -> {
                      if (failure != null) {
                        callback.failed(failure);
                      } else {
                        answer(request, body, response, callback);
                      }
                    });
            return true;
          }
        });
    server.start();
  }

  private void answer(Request request, String body, Response response, Callback callback) {
    Matcher model = MODEL.matcher(body);
    String modelName = model.find() ? model.group(1) : "";
    if (recording) {
      seen.add(
          new Seen(
              request.getConnectionMetaData().getProtocol(),
              request.getConnectionMetaData().getId(),
              modelName));
    }
    String path = Request.getPathInContext(request);
    if (path.endsWith("/embeddings") || path.endsWith(":batchEmbedContents")) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(
          true,
          ByteBuffer.wrap(path.endsWith("/embeddings") ? EMBEDDINGS : GEMINI_EMBEDDINGS),
          callback);
      return;
    }
    if (path.endsWith("/audio/transcriptions")) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(TRANSCRIPTION), callback);
      return;
    }
    if (modelName.startsWith("error")) {
      // an upstream failing: a 500 in OpenAI's shape
      response.setStatus(500);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(ERROR), callback);
      return;
    }
    boolean messages = path.endsWith("/messages");
    boolean responses = path.endsWith("/responses");
    if (!STREAM.matcher(body).find()) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(
          true, ByteBuffer.wrap(messages ? MESSAGE : responses ? RESPONSE : COMPLETION), callback);
      return;
    }
    if (responses) {
      // the Responses API's text turn, in one write: the first event is what is timed
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
      // two writes: the answer is chunked, as a stream is
      response.write(
          false,
          ByteBuffer.wrap(RESPONSE_EVENTS, 0, RESPONSE_EVENTS_HALF),
          Callback.from(
              () ->
                  response.write(
                      true,
                      ByteBuffer.wrap(
                          RESPONSE_EVENTS,
                          RESPONSE_EVENTS_HALF,
                          RESPONSE_EVENTS.length - RESPONSE_EVENTS_HALF),
                      callback),
              callback::failed));
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    Matcher shape = SHAPE.matcher(modelName);
    boolean silent = modelName.equals("silent");
    boolean cut = modelName.startsWith("cut");
    boolean shaped = shape.find();
    int chunks = silent ? 1 : shaped ? Integer.parseInt(shape.group(1)) : 10;
    long gapMillis = shaped ? Long.parseLong(shape.group(2)) : 0;
    openStreams.incrementAndGet();
    new StreamWriter(response, callback, chunks, gapMillis, silent, messages, cut).next(0);
  }

  /** Writes one chunk at a time, the next one when the previous write completed (and the gap). */
  private final class StreamWriter {
    private final Response response;
    private final Callback done;
    private final int chunks;
    private final long gapMillis;
    private final boolean silent;
    private final boolean messages;
    private final boolean cut;

    StreamWriter(
        Response response,
        Callback done,
        int chunks,
        long gapMillis,
        boolean silent,
        boolean messages,
        boolean cut) {
      this.messages = messages;
      this.cut = cut;
      this.response = response;
      this.done = done;
      this.chunks = chunks;
      this.gapMillis = gapMillis;
      this.silent = silent;
    }

    void next(int index) {
      if (index == chunks) {
        if (silent) {
          return; // holds the stream open until the client gives up
        }
        if (cut) {
          // the connection drops mid-stream: no terminating chunk, no [DONE]
          aborted(new java.io.IOException("stream cut by the upstream"));
          return;
        }
        response.write(
            true,
            ByteBuffer.wrap(messages ? MESSAGE_END : DONE),
            Callback.from(this::finished, this::aborted));
        return;
      }
      Callback afterWrite =
          Callback.from(
              () -> {
                if (gapMillis == 0) {
                  next(index + 1);
                } else {
                  server
                      .getScheduler()
                      .schedule(() -> next(index + 1), gapMillis, TimeUnit.MILLISECONDS);
                }
              },
              this::aborted);
      response.write(
          false, ByteBuffer.wrap(messages ? messageEvent(index) : chunk(index)), afterWrite);
    }

    private void finished() {
      openStreams.decrementAndGet();
      done.succeeded();
    }

    private void aborted(Throwable failure) {
      openStreams.decrementAndGet();
      abortedStreams.incrementAndGet();
      done.failed(failure);
    }
  }

  static byte[] chunk(int index) {
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    String delta =
        index == 0
            ? "{\"role\":\"assistant\",\"content\":\"\"}"
            : "{\"content\":\"tok" + index + " \"}";
    return ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,"
            + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"t"
            + micros
            + "\",\"choices\":[{\"index\":0,\"delta\":"
            + delta
            + ",\"logprobs\":null,\"finish_reason\":null}]}\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Anthropic's stream, one text delta an event (after {@code message_start} with the first); the
   * write time travels in each delta as the chat chunks carry it, so that it survives a
   * pass-through.
   */
  static byte[] messageEvent(int index) {
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    byte[] delta =
        ("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"system_fingerprint\":\"t"
                + micros
                + "\",\"delta\":{\"type\":\"text_delta\",\"text\":\"tok"
                + index
                + " \"}}\n\n")
            .getBytes(StandardCharsets.UTF_8);
    if (index > 0) {
      return delta;
    }
    byte[] first = new byte[MESSAGE_START.length + delta.length];
    System.arraycopy(MESSAGE_START, 0, first, 0, MESSAGE_START.length);
    System.arraycopy(delta, 0, first, MESSAGE_START.length, delta.length);
    return first;
  }

  public String baseUrl() {
    String scheme =
        connector.getDefaultConnectionFactory() instanceof SslConnectionFactory ? "https" : "http";
    return scheme + "://127.0.0.1:" + connector.getLocalPort() + "/v1";
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** The requests seen so far (recording upstreams only). */
  public Queue<Seen> seen() {
    return seen;
  }

  public int openStreams() {
    return openStreams.get();
  }

  /** Streams that ended because the other side went away. */
  public long abortedStreams() {
    return abortedStreams.get();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    FastUpstream upstream = new FastUpstream(port, false);
    System.out.println("port=" + upstream.port());
    System.out.flush();
    // serve until stdin closes (the parent process ended) or the process is killed
    InputStream in = System.in;
    try {
      while (in.read() >= 0) {
        // nothing to read; waiting for end of input
      }
    } catch (IOException ignored) {
      // parent gone
    }
    upstream.close();
  }
}
