package io.feathergate.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 client on one keep-alive connection: as little client-side work as
 * possible between the bytes and the clock, the same for the gateway and the direct upstream.
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buffer = new byte[64 * 1024];
  private int start;
  private int end;

  /** Time to first event and how late each later event arrived after the upstream wrote it. */
  record StreamTiming(long firstEventNanos, long[] chunkDelayMicros) {}

  RawClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  static byte[] post(String path, String body) {
    return post(path, body, "sk-bench");
  }

  /** A POST of {@code body} with {@code key} as its bearer credential. */
  static byte[] post(String path, String body, String key) {
    return post(path, body, key, java.util.Map.of());
  }

  /** The same, with {@code extraHeaders} besides the credential. */
  static byte[] post(
      String path, String body, String key, java.util.Map<String, String> extraHeaders) {
    byte[] json = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder extra = new StringBuilder();
    extraHeaders.forEach(
        (name, value) -> extra.append(name).append(": ").append(value).append("\r\n"));
    byte[] head =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer "
                + key
                + "\r\n"
                + extra
                + "Content-Length: "
                + json.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + json.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(json, 0, request, head.length, json.length);
    return request;
  }

  /** Whether a GET of path on a fresh connection answers 200 (false when nothing listens yet). */
  static boolean answers200(int port, String path) {
    byte[] get =
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getOutputStream().write(get);
      byte[] head = socket.getInputStream().readNBytes(12);
      return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
    } catch (IOException notYet) {
      return false;
    }
  }

  /** A Messages API body: {@code max_tokens} is required there. */
  static String messagesBody(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"max_tokens\":256,\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";
  }

  static String chatBody(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";
  }

  /** Sends the request and reads the whole answer; returns the nanoseconds it took. */
  long call(byte[] request) throws IOException {
    long begin = System.nanoTime();
    out.write(request);
    out.flush();
    Head head = readHead();
    if (head.chunked) {
      while (readChunk(null) > 0) {
        // whole body read chunk by chunk
      }
    } else {
      skip(head.contentLength);
    }
    long took = System.nanoTime() - begin;
    expectOk(head);
    return took;
  }

  /** Sends the request count times; the nanoseconds of each. */
  long[] times(byte[] request, int count) throws IOException {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      nanos[i] = call(request);
    }
    return nanos;
  }

  /** Sends a stream request and times its events until {@code [DONE]}. */
  StreamTiming stream(byte[] request, int expectedChunks) throws IOException {
    long begin = sendStream(request);
    long[] delays = new long[expectedChunks];
    int events = 0;
    long firstEvent = 0;
    StringBuilder pending = new StringBuilder();
    int size;
    while ((size = readChunk(pending)) > 0) {
      long arrivedMicros = nowMicros();
      if (firstEvent == 0) {
        firstEvent = System.nanoTime() - begin;
      }
      int eventEnd;
      while ((eventEnd = pending.indexOf("\n\n")) >= 0) {
        String event = pending.substring(0, eventEnd);
        pending.delete(0, eventEnd + 2);
        int mark = event.indexOf("\"system_fingerprint\":\"t");
        if (mark >= 0 && events < delays.length) {
          int from = mark + "\"system_fingerprint\":\"t".length();
          long written = Long.parseLong(event.substring(from, event.indexOf('"', from)));
          delays[events++] = arrivedMicros - written;
        }
      }
    }
    if (events != expectedChunks) {
      throw new IOException("expected " + expectedChunks + " events, got " + events);
    }
    return new StreamTiming(firstEvent, delays);
  }

  /**
   * Sends a stream request and reads it to its end, whatever its events say; returns the
   * nanoseconds to its first chunk of data.
   */
  long firstChunk(byte[] request) throws IOException {
    long begin = sendStream(request);
    long first = 0;
    while (readChunk(null) > 0) {
      if (first == 0) {
        first = System.nanoTime() - begin;
      }
    }
    return first;
  }

  /** Sends a stream request and reads its head, which must be a chunked 200; when it was sent. */
  private long sendStream(byte[] request) throws IOException {
    long begin = System.nanoTime();
    out.write(request);
    out.flush();
    Head head = readHead();
    expectOk(head);
    if (!head.chunked) {
      throw new IOException("a stream answer without chunked encoding");
    }
    return begin;
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  private record Head(int status, long contentLength, boolean chunked) {}

  private static void expectOk(Head head) throws IOException {
    if (head.status != 200) {
      throw new IOException("status " + head.status);
    }
  }

  private Head readHead() throws IOException {
    String statusLine = readLine();
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long contentLength = -1;
    boolean chunked = false;
    String line;
    while (!(line = readLine()).isEmpty()) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        contentLength = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    return new Head(status, contentLength, chunked);
  }

  /**
   * Reads one chunk, appending its text to sink when given; 0 at the last chunk. The CRLF that ends
   * a chunk's data is left for the next call: servers send it with the next chunk, so waiting for
   * it here would time each chunk by the arrival of the one after.
   */
  private int readChunk(StringBuilder sink) throws IOException {
    String sizeLine = readLine();
    if (sizeLine.isEmpty()) {
      sizeLine = readLine(); // the CRLF that ended the previous chunk's data
    }
    int semicolon = sizeLine.indexOf(';');
    int size =
        Integer.parseInt(semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine.trim(), 16);
    if (size == 0) {
      readLine(); // the empty line after the last chunk (no trailers)
      return 0;
    }
    int left = size;
    while (left > 0) {
      fill();
      int take = Math.min(left, end - start);
      if (sink != null) {
        sink.append(new String(buffer, start, take, StandardCharsets.UTF_8));
      }
      start += take;
      left -= take;
    }
    return size;
  }

  private void skip(long length) throws IOException {
    long left = length;
    while (left > 0) {
      fill();
      int take = (int) Math.min(left, end - start);
      start += take;
      left -= take;
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      fill();
      byte b = buffer[start++];
      if (b == '\n') {
        int length = line.length();
        return length > 0 && line.charAt(length - 1) == '\r'
            ? line.substring(0, length - 1)
            : line.toString();
      }
      line.append((char) b);
    }
  }

  private void fill() throws IOException {
    if (start < end) {
      return;
    }
    int read = in.read(buffer);
    if (read < 0) {
      throw new EOFException("connection closed");
    }
    start = 0;
    end = read;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
