package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.exchange.ClientChannel;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client side of one asynchronous exchange, written without blocking, framed by the {@link
 * ClientDialect} of the route the client called.
 *
 * <p>Producers (upstream I/O threads, the request thread) queue items and then try to become the
 * single writer; the writer writes while {@link ServletOutputStream#isReady()} says so and hands
 * over to the container's {@link #onWritePossible()} when it does not. No thread ever waits for a
 * slow client: once more than {@link #HIGH_WATER} bytes are queued the producer is told to stop,
 * and {@code onDrained} runs when the queue falls under {@link #LOW_WATER}.
 */
final class ServletClientChannel implements ClientChannel, WriteListener, AsyncListener {
  private static final Logger LOG = Logger.getLogger(ServletClientChannel.class.getName());

  static final long HIGH_WATER = 256 * 1024;
  static final long LOW_WATER = 64 * 1024;

  /**
   * The response buffer of a stream. A container keeps a response's buffer until the response ends,
   * and its default (Jetty's 32 KB, from a direct pool bounded by the heap's size) held for each of
   * 10,000 open streams ran the JVM out of memory; a stream's events are small and flushed as they
   * come, so a batch of them still fits.
   */
  static final int STREAM_BUFFER_BYTES = 4096;

  private static final int IDLE = 0;
  private static final int WRITING = 1;
  private static final int WAITING = 2;

  /** Status line and headers, applied by the writer before the first byte. */
  private record Commit(int status, String contentType, Map<String, String> headers, int length) {}

  private static final Object END = new Object();

  private final AsyncContext async;
  private final HttpServletResponse response;
  private final String requestId;
  private final ClientDialect dialect;
  private final ServletOutputStream out;
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicInteger writer = new AtomicInteger(IDLE);
  private final AtomicBoolean terminated = new AtomicBoolean();
  private final AtomicBoolean gone = new AtomicBoolean();

  private volatile boolean committed;
  private volatile boolean behind;
  private volatile Runnable onDrained = () -> {};
  private volatile Runnable onClientGone = () -> {};
  private boolean needsFlush;

  ServletClientChannel(
      AsyncContext async, HttpServletResponse response, String requestId, ClientDialect dialect)
      throws IOException {
    this.async = async;
    this.dialect = dialect;
    this.response = response;
    this.requestId = requestId;
    this.out = response.getOutputStream();
    async.addListener(this);
    out.setWriteListener(this);
  }

  @Override
  public void bind(Runnable onDrained, Runnable onClientGone) {
    this.onDrained = onDrained;
    this.onClientGone = onClientGone;
    if (gone.get()) {
      onClientGone.run();
    }
  }

  @Override
  public boolean isCommitted() {
    return committed;
  }

  @Override
  public void respond(Map<String, String> headers, ChatCompletion completion) {
    if (!terminated.compareAndSet(false, true)) {
      return;
    }
    committed = true;
    byte[] json = dialect.answer(completion);
    enqueue(new Commit(200, completion.contentType(), headers, json.length), 0);
    enqueue(json, json.length);
    enqueue(END, 0);
    write();
  }

  @Override
  public boolean sendChunk(Map<String, String> headers, String chunkJson) {
    if (terminated.get()) {
      return true;
    }
    return queueFrames(headers, dialect.chunk(chunkJson));
  }

  @Override
  public boolean sendEvent(Map<String, String> headers, SseEvent event) {
    if (terminated.get()) {
      return true;
    }
    return queueFrames(headers, dialect.event(event));
  }

  /** Queues stream frames, committing the stream with the first; none may be empty. */
  private boolean queueFrames(Map<String, String> headers, byte[] frames) {
    if (frames.length == 0) {
      return hasRoom();
    }
    commitStream(headers);
    if (enqueue(frames, frames.length) > HIGH_WATER) {
      // set before writing, so that whichever thread drains the queue calls onDrained
      behind = true;
    }
    write();
    return hasRoom();
  }

  private void commitStream(Map<String, String> headers) {
    if (!committed) {
      committed = true;
      enqueue(new Commit(200, "text/event-stream; charset=utf-8", headers, -1), 0);
    }
  }

  @Override
  public boolean hasRoom() {
    return queuedBytes.get() <= HIGH_WATER;
  }

  @Override
  public void endStream(Map<String, String> headers, TokenUsage usage) {
    if (terminated.compareAndSet(false, true)) {
      commitStream(headers);
      byte[] closing = dialect.end(usage);
      enqueue(closing, closing.length);
      enqueue(END, 0);
      write();
    }
  }

  @Override
  public void fail(GatewayException failure) {
    if (!terminated.compareAndSet(false, true)) {
      return;
    }
    if (committed) {
      byte[] frames = dialect.streamError(failure, requestId);
      enqueue(frames, frames.length);
    } else {
      byte[] body = dialect.error(failure, requestId);
      committed = true;
      enqueue(
          new Commit(dialect.status(failure), "application/json", failure.headers(), body.length),
          0);
      enqueue(body, body.length);
    }
    enqueue(END, 0);
    write();
  }

  private long enqueue(Object item, int bytes) {
    queue.add(item);
    return queuedBytes.addAndGet(bytes);
  }

  /** Becomes the writer if nobody is, and writes what the client can take now. */
  private void write() {
    if (writer.compareAndSet(IDLE, WRITING)) {
      drain();
    }
  }

  @Override
  public void onWritePossible() {
    if (writer.compareAndSet(WAITING, WRITING) || writer.compareAndSet(IDLE, WRITING)) {
      drain();
    }
  }

  private void drain() {
    try {
      while (true) {
        if (!out.isReady()) {
          writer.set(WAITING); // the container calls onWritePossible when writable again
          return;
        }
        Object item = queue.poll();
        if (item == null) {
          if (needsFlush) {
            needsFlush = false;
            out.flush();
            continue;
          }
          writer.set(IDLE);
          // a producer may have queued after the poll but before IDLE became visible
          if (queue.isEmpty() || !writer.compareAndSet(IDLE, WRITING)) {
            return;
          }
          continue;
        }
        if (item instanceof byte[] bytes) {
          out.write(bytes);
          needsFlush = true;
          afterWrite(bytes.length);
        } else if (item instanceof Commit commit) {
          applyCommit(commit);
        } else if (item == END) {
          if (needsFlush) {
            needsFlush = false;
            out.flush();
          }
          writer.set(IDLE);
          async.complete();
          return;
        }
      }
    } catch (IOException | IllegalStateException e) {
      writer.set(IDLE);
      clientGone("write failed: " + e.getClass().getSimpleName());
    }
  }

  private void afterWrite(int bytes) {
    long left = queuedBytes.addAndGet(-bytes);
    if (behind && left < LOW_WATER) {
      behind = false;
      onDrained.run();
    }
  }

  private void applyCommit(Commit commit) {
    response.setStatus(commit.status());
    response.setContentType(commit.contentType());
    if (commit.length() >= 0) {
      response.setContentLength(commit.length());
    } else {
      response.setBufferSize(STREAM_BUFFER_BYTES);
      response.setHeader("Cache-Control", "no-cache");
      response.setHeader("X-Accel-Buffering", "no");
    }
    commit.headers().forEach(response::setHeader);
  }

  /** The client went away or the exchange was aborted: stop the upstream, drop what is queued. */
  private void clientGone(String why) {
    if (!gone.compareAndSet(false, true)) {
      return;
    }
    terminated.set(true);
    queue.clear();
    LOG.log(Level.FINE, "client side closed: {0}", why);
    try {
      onClientGone.run();
    } finally {
      try {
        async.complete();
      } catch (IllegalStateException alreadyCompleted) {
        // the container completed it first
      }
    }
  }

  @Override
  public void onError(Throwable failure) {
    clientGone("write error: " + failure.getClass().getSimpleName());
  }

  @Override
  public void onComplete(AsyncEvent event) {
    if (!terminated.get() || !queue.isEmpty()) {
      clientGone("completed early");
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    clientGone("async timeout");
  }

  @Override
  public void onError(AsyncEvent event) {
    clientGone("async error");
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // not restarted
  }
}
