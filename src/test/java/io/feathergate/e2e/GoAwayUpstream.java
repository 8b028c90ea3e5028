package io.feathergate.e2e;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An h2c upstream (prior knowledge) on a raw socket that retires its first connection the way
 * servers do when they restart: once a few requests are in flight on it, it sends GOAWAY naming the
 * first as the last it will process, answers that one (at once, or after draining for a while, as
 * load balancers do), and closes. Later connections answer everything. Frames are written by hand,
 * so the test controls exactly which streams were taken.
 */
final class GoAwayUpstream implements AutoCloseable {
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int WINDOW_UPDATE = 8;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;

  /** Requests in flight on the first connection before it goes away. */
  private final int inFlightBeforeGoAway;

  /** How long the retiring connection stays open after its GOAWAY, serving the stream it took. */
  private final long drainMillis;

  private final CountDownLatch goAwayRead = new CountDownLatch(1);
  private final CountDownLatch retiredClosed = new CountDownLatch(1);

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger unprocessed = new AtomicInteger();

  GoAwayUpstream(int inFlightBeforeGoAway) throws IOException {
    this(inFlightBeforeGoAway, 0);
  }

  GoAwayUpstream(int inFlightBeforeGoAway, long drainMillis) throws IOException {
    this.inFlightBeforeGoAway = inFlightBeforeGoAway;
    this.drainMillis = drainMillis;
    server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
  }

  int connections() {
    return connections.get();
  }

  int answered() {
    return answered.get();
  }

  /** Requests the first connection received after the one it answered, and never processed. */
  int unprocessed() {
    return unprocessed.get();
  }

  /** Waits until the client has read the first connection's GOAWAY (draining upstreams only). */
  boolean awaitGoAwayRead(Duration timeout) throws InterruptedException {
    return goAwayRead.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the first connection has been closed on the upstream's side. */
  boolean retiredConnectionClosed() {
    return retiredClosed.getCount() == 0;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        int number = connections.incrementAndGet();
        threads.execute(() -> serve(socket, number == 1));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket, boolean retiring) {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(retiring ? 2_000 : 30_000);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      in.readFully(new byte[24]); // the client preface
      // settings as real servers send them: a window for the request bodies to flow into
      ByteBuffer settings = ByteBuffer.allocate(12);
      settings.putShort((short) 0x3).putInt(100); // SETTINGS_MAX_CONCURRENT_STREAMS
      settings.putShort((short) 0x4).putInt(1 << 20); // SETTINGS_INITIAL_WINDOW_SIZE
      frame(out, SETTINGS, 0, 0, settings.array());
      frame(out, WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(1 << 20).array());
      Map<Integer, StringBuilder> bodies = new HashMap<>();
      List<Integer> complete = new ArrayList<>();
      while (true) {
        int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & ACK) == 0) {
          frame(out, SETTINGS, ACK, 0, new byte[0]);
        } else if (type == PING && (flags & ACK) == 0) {
          frame(out, PING, ACK, 0, payload);
        } else if (type == HEADERS || type == DATA) {
          StringBuilder body = bodies.computeIfAbsent(stream, s -> new StringBuilder());
          if (type == DATA) {
            body.append(new String(data(payload, flags), StandardCharsets.UTF_8));
          }
          if ((flags & END_STREAM) != 0) {
            if (!retiring) {
              answer(out, stream, body.toString());
              continue;
            }
            complete.add(stream);
            if (complete.size() >= inFlightBeforeGoAway) {
              retire(socket, in, out, complete, bodies);
              return;
            }
          }
        }
      }
    } catch (IOException e) {
      // connection over; on the retiring one, a wait for more requests that timed out
    } finally {
      if (retiring) {
        retiredClosed.countDown();
      }
    }
  }

  /**
   * Sends GOAWAY naming the first request in flight as the last taken, answers that one (after the
   * drain, if any), and closes gracefully: its side first, then, once the client has closed its own
   * (or after the read timeout), the socket. Closing with the client's later frames unread would
   * make the kernel reset the connection, and a reset can discard the GOAWAY before the client has
   * read it.
   */
  private void retire(
      Socket socket,
      DataInputStream in,
      OutputStream out,
      List<Integer> complete,
      Map<Integer, StringBuilder> bodies)
      throws IOException {
    int first = complete.get(0);
    unprocessed.addAndGet(complete.size() - 1);
    ByteBuffer goAway = ByteBuffer.allocate(8).putInt(first).putInt(0);
    frame(out, GOAWAY, 0, 0, goAway.array());
    if (drainMillis > 0) {
      // a PING after the GOAWAY: the client answers frames in order, so its ACK says that it has
      // read the GOAWAY; what it sent meanwhile is read and dropped (never processed)
      frame(out, PING, 0, 0, new byte[8]);
      awaitPingAck(in);
      goAwayRead.countDown();
      try {
        Thread.sleep(drainMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    answer(out, first, bodies.get(first).toString());
    out.flush();
    socket.shutdownOutput();
    byte[] discard = new byte[8192];
    while (in.read(discard) >= 0) {
      // frames sent after the GOAWAY: never processed
    }
  }

  private static void awaitPingAck(DataInputStream in) throws IOException {
    while (true) {
      int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      in.readInt();
      in.readFully(new byte[length]);
      if (type == PING && (flags & ACK) != 0) {
        return;
      }
    }
  }

  private static byte[] data(byte[] payload, int flags) {
    if ((flags & PADDED) == 0) {
      return payload;
    }
    int pad = payload[0] & 0xff;
    byte[] unpadded = new byte[payload.length - 1 - pad];
    System.arraycopy(payload, 1, unpadded, 0, unpadded.length);
    return unpadded;
  }

  private void answer(OutputStream out, int stream, String requestBody) throws IOException {
    boolean streaming = requestBody.contains("\"stream\":true");
    String type = streaming ? "text/event-stream" : "application/json";
    ByteBuffer headers = ByteBuffer.allocate(64);
    headers.put((byte) 0x88); // :status 200, static table entry 8
    headers.put((byte) 0x0f).put((byte) 0x10); // content-type, static entry 31, not indexed
    headers.put((byte) type.length()).put(type.getBytes(StandardCharsets.US_ASCII));
    byte[] block = new byte[headers.position()];
    headers.flip().get(block);
    frame(out, HEADERS, END_HEADERS, stream, block);
    String body =
        streaming ? RouterE2ETest.CHUNK + RouterE2ETest.LAST_CHUNK : RouterE2ETest.COMPLETION;
    frame(out, DATA, END_STREAM, stream, body.getBytes(StandardCharsets.UTF_8));
    answered.incrementAndGet();
  }

  private static synchronized void frame(
      OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(9);
    header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8));
    header.put((byte) payload.length).put((byte) type).put((byte) flags).putInt(stream);
    out.write(header.array());
    out.write(payload);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
