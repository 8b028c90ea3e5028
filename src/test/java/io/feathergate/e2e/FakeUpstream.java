package io.feathergate.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible upstream on a raw socket, so that tests control every byte and every fault:
 * split frames, stalls, resets, slow first bytes. HTTP/1.1 with keep-alive, one thread a
 * connection; each request is answered by the current {@link Responder}.
 */
final class FakeUpstream implements AutoCloseable {

  /**
   * A request as the upstream received it. Header names are lower case.
   *
   * @param connection which connection it came on, from 1 in the order they were accepted
   * @param onConnection its place among the requests of its connection, from 1
   */
  record Received(
      String method,
      String path,
      Map<String, String> headers,
      String body,
      int connection,
      int onConnection,
      byte[] bytes) {

    Received(String method, String path, Map<String, String> headers, String body) {
      this(method, path, headers, body, 0, 0, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  @FunctionalInterface
  interface Responder {
    void respond(Received request, Reply reply) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fake-upstream");
            t.setDaemon(true);
            return t;
          });
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> peerCloses = new LinkedBlockingQueue<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile Responder responder = (request, reply) -> reply.json(200, "{}");

  FakeUpstream() throws IOException {
    server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  String baseUrl() {
    return origin() + "/v1";
  }

  /** Scheme, host and port, for providers whose base URL carries no version. */
  String origin() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /**
   * Replays a recorded stream in two writes split at the offset a request names ({@code
   * split-<offset>} anywhere in its body), so that a test can cut the same bytes everywhere.
   */
  static Responder splitReplay(java.util.function.Supplier<byte[]> recording) {
    java.util.regex.Pattern split = java.util.regex.Pattern.compile("split-(\\d+)");
    return (request, reply) -> {
      java.util.regex.Matcher matcher = split.matcher(request.body());
      if (!matcher.find()) {
        reply.json(400, "{\"error\":{\"message\":\"no split offset in the request\"}}");
        return;
      }
      int at = Integer.parseInt(matcher.group(1));
      byte[] bytes = recording.get();
      reply.startStream();
      reply.chunk(java.util.Arrays.copyOfRange(bytes, 0, at));
      reply.chunk(java.util.Arrays.copyOfRange(bytes, at, bytes.length));
      reply.endStream();
    };
  }

  void respondWith(Responder responder) {
    this.responder = responder;
  }

  /** The next request received, waiting up to 10 s. */
  Received takeRequest() throws InterruptedException {
    Received request = received.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the upstream received no request within 10 s");
    }
    return request;
  }

  /** Waits up to 10 s for a write to fail because the gateway closed the connection. */
  String awaitPeerClose() throws InterruptedException {
    String why = peerCloses.poll(10, TimeUnit.SECONDS);
    if (why == null) {
      throw new AssertionError("the upstream connection was not closed by the gateway within 10 s");
    }
    return why;
  }

  /** Forgets the requests and closed connections recorded so far, so a test sees only its own. */
  void forget() {
    received.clear();
    peerCloses.clear();
  }

  int connectionsAccepted() {
    return connections.get();
  }

  int requestsReceived() {
    return received.size();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        int connection = connections.incrementAndGet();
        threads.execute(() -> serve(socket, connection));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket, int connection) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      for (int onConnection = 1; ; onConnection++) {
        Received read = readRequest(in);
        if (read == null) {
          return;
        }
        Received request =
            new Received(
                read.method(),
                read.path(),
                read.headers(),
                read.body(),
                connection,
                onConnection,
                read.bytes());
        received.add(request);
        Reply reply = new Reply(socket, out);
        try {
          responder.respond(request, reply);
        } catch (SocketException e) {
          peerCloses.add(e.getMessage() == null ? "closed" : e.getMessage());
          return;
        }
        if (reply.closed) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // connection over
    }
  }

  private static Received readRequest(InputStream in) throws IOException {
    String requestLine = readLine(in);
    if (requestLine == null || requestLine.isEmpty()) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = readLine(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    byte[] body;
    if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream collected = new ByteArrayOutputStream();
      while (true) {
        int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
        if (size == 0) {
          readLine(in);
          break;
        }
        collected.write(in.readNBytes(size));
        readLine(in);
      }
      body = collected.toByteArray();
    } else {
      body = new byte[0];
    }
    return new Received(
        parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8), 0, 0, body);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b == -1 && line.size() == 0) {
      return null;
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** How a responder answers: whole bodies, chunked streams, stalls and resets. */
  static final class Reply {
    private final Socket socket;
    private final OutputStream out;
    private boolean closed;
    private long bytesWritten;

    Reply(Socket socket, OutputStream out) {
      this.socket = socket;
      this.out = out;
    }

    void json(int status, String body) throws IOException {
      whole(status, "application/json", body);
    }

    /** A whole body of any type (Gemini serves some errors as text/event-stream). */
    void whole(int status, String contentType, String body) throws IOException {
      whole(status, contentType, body, Map.of());
    }

    /** A whole body with more response headers. */
    void whole(int status, String contentType, String body, Map<String, String> headers)
        throws IOException {
      whole(status, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** A whole body of any bytes (audio), with more response headers. */
    void whole(int status, String contentType, byte[] bytes, Map<String, String> headers)
        throws IOException {
      write(
          ("HTTP/1.1 "
                  + status
                  + " X\r\nContent-Type: "
                  + contentType
                  + "\r\nContent-Length: "
                  + bytes.length
                  + "\r\n"
                  + headerLines(headers)
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      write(bytes);
      out.flush();
    }

    private static String headerLines(Map<String, String> headers) {
      StringBuilder lines = new StringBuilder();
      headers.forEach(
          (name, value) -> lines.append(name).append(": ").append(value).append("\r\n"));
      return lines.toString();
    }

    void startStream() throws IOException {
      startStream(Map.of());
    }

    void startStream(Map<String, String> headers) throws IOException {
      startStream("text/event-stream", headers);
    }

    /** A chunked 200 of another stream type (Bedrock's event stream, Ollama's JSON lines). */
    void startStream(String contentType, Map<String, String> headers) throws IOException {
      write(
          ("HTTP/1.1 200 OK\r\nContent-Type: "
                  + contentType
                  + "\r\nTransfer-Encoding: chunked\r\n"
                  + headerLines(headers)
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    /** One HTTP chunk, flushed at once. */
    void chunk(byte[] bytes) throws IOException {
      if (bytes.length == 0) {
        return;
      }
      write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      write(bytes);
      write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    void chunk(String text) throws IOException {
      chunk(text.getBytes(StandardCharsets.UTF_8));
    }

    void endStream() throws IOException {
      write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    /** Sends a TCP reset: the gateway sees the connection die mid-response. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
      closed = true;
    }

    /** Closes the connection after the response (no keep-alive). */
    void close() throws IOException {
      socket.close();
      closed = true;
    }

    long bytesWritten() {
      return bytesWritten;
    }

    private void write(byte[] bytes) throws IOException {
      out.write(bytes);
      bytesWritten += bytes.length;
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
