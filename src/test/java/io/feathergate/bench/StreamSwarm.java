package io.feathergate.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Many long-lived streams at once from one selector thread: opens connections at a set rate, sends
 * one stream request on each and reads until {@code [DONE]}. Counts what did not end that way.
 */
final class StreamSwarm {

  /** What happened to the streams. */
  record Result(int opened, int completed, Map<String, Integer> failures, int peakOpen) {
    int failed() {
      return failures.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** How a chat completions stream ends, and how it fails. */
  static final byte[][] CHAT_MARKERS = {
    "[DONE]".getBytes(StandardCharsets.US_ASCII), "{\"error\"".getBytes(StandardCharsets.US_ASCII)
  };

  /** How an Anthropic Messages stream ends, and how it fails. */
  static final byte[][] MESSAGES_MARKERS = {
    "event: message_stop".getBytes(StandardCharsets.US_ASCII),
    "event: error".getBytes(StandardCharsets.US_ASCII)
  };

  private final byte[] done;
  private final byte[] error;

  private StreamSwarm(byte[][] markers) {
    this.done = markers[0];
    this.error = markers[1];
  }

  /** One connection's reading state. */
  private static final class Stream {
    final ByteBuffer request;
    boolean statusChecked;
    final byte[] tail = new byte[32];
    int tailLength;

    Stream(byte[] request) {
      this.request = ByteBuffer.wrap(request);
    }
  }

  private final Map<String, Integer> failures = new TreeMap<>();
  private int completed;
  private int open;
  private int peakOpen;

  /**
   * @param markers the bytes that end a stream and those that fail it ({@link #CHAT_MARKERS},
   *     {@link #MESSAGES_MARKERS})
   */
  static Result run(
      int port, byte[] request, byte[][] markers, int streams, int openPerSecond, long limitMillis)
      throws IOException {
    return new StreamSwarm(markers).swarm(port, request, streams, openPerSecond, limitMillis);
  }

  private Result swarm(int port, byte[] request, int streams, int openPerSecond, long limitMillis)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    ByteBuffer read = ByteBuffer.allocate(64 * 1024);
    int opened = 0;
    long begin = System.nanoTime();
    long deadline = begin + TimeUnit.MILLISECONDS.toNanos(limitMillis);
    try (Selector selector = Selector.open()) {
      while (System.nanoTime() < deadline && (opened < streams || open > 0)) {
        long due =
            Math.min(streams, (System.nanoTime() - begin) * openPerSecond / 1_000_000_000L + 1);
        while (opened < due) {
          opened++;
          open(selector, address, request);
        }
        selector.select(5);
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          handle(key, read);
        }
      }
      for (SelectionKey key : selector.keys()) {
        fail(key, "unfinished at the time limit");
      }
    }
    return new Result(opened, completed, failures, peakOpen);
  }

  private void open(Selector selector, InetSocketAddress address, byte[] request) {
    try {
      SocketChannel channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.connect(address);
      channel.register(selector, SelectionKey.OP_CONNECT, new Stream(request));
      open++;
      peakOpen = Math.max(peakOpen, open);
    } catch (IOException e) {
      failures.merge("connect: " + e.getMessage(), 1, Integer::sum);
    }
  }

  private void handle(SelectionKey key, ByteBuffer read) {
    SocketChannel channel = (SocketChannel) key.channel();
    Stream stream = (Stream) key.attachment();
    try {
      if (key.isConnectable()) {
        channel.finishConnect();
        key.interestOps(SelectionKey.OP_WRITE);
      }
      if (key.isValid() && key.isWritable()) {
        channel.write(stream.request);
        if (!stream.request.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
      }
      if (key.isValid() && key.isReadable()) {
        read.clear();
        int n = channel.read(read);
        if (n < 0) {
          fail(key, "closed before its end");
          return;
        }
        read.flip();
        inspect(key, stream, read);
      }
    } catch (IOException e) {
      fail(key, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private void inspect(SelectionKey key, Stream stream, ByteBuffer bytes) {
    if (!stream.statusChecked) {
      stream.statusChecked = true;
      byte[] head = new byte[Math.min(12, bytes.remaining())];
      bytes.get(bytes.position(), head);
      String status = new String(head, StandardCharsets.US_ASCII);
      if (!status.equals("HTTP/1.1 200")) {
        fail(key, "status " + status.substring(Math.min(9, status.length())));
        return;
      }
    }
    // look for the markers in the previous read's tail followed by this read
    byte[] window = new byte[stream.tailLength + bytes.remaining()];
    System.arraycopy(stream.tail, 0, window, 0, stream.tailLength);
    bytes.get(window, stream.tailLength, bytes.remaining());
    if (contains(window, error)) {
      fail(key, "error event");
      return;
    }
    if (contains(window, done)) {
      completed++;
      close(key);
      return;
    }
    stream.tailLength = Math.min(stream.tail.length, window.length);
    System.arraycopy(window, window.length - stream.tailLength, stream.tail, 0, stream.tailLength);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private void fail(SelectionKey key, String why) {
    if (close(key)) {
      failures.merge(why, 1, Integer::sum);
    }
  }

  /** Closes the stream's connection; false if it was closed already. */
  private boolean close(SelectionKey key) {
    if (!key.channel().isOpen()) {
      return false;
    }
    open--;
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException ignored) {
      // closing anyway
    }
    return true;
  }
}
