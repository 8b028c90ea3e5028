package io.feathergate.api;

import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.events.RequestRecord;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The access log, one JSON line per finished request on the JUL logger {@code
 * io.feathergate.access} at INFO (set that logger to OFF to turn it off), and the live feed.
 *
 * <p>A request only queues its record, without a lock: JUL handlers serialise every line behind one
 * lock, which all requests would otherwise share. One writer thread formats, logs and publishes to
 * the feed in order. If the log falls {@link #CAPACITY} records behind, further records are dropped
 * and the count is logged once the writer catches up, so nothing goes missing unnoticed.
 */
public final class RequestLog implements GatewayListener, AutoCloseable {
  public static final String LOGGER = "io.feathergate.access";
  private static final Logger LOG = Logger.getLogger(LOGGER);
  private static final Logger SELF = Logger.getLogger(RequestLog.class.getName());

  static final int CAPACITY = 16_384;

  /** How long records may wait for the writer while requests keep arriving. */
  private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final LiveFeed feed;
  private final Queue<RequestRecord> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean writerParked = new AtomicBoolean();
  private final Thread writer;
  private volatile boolean closed;

  public RequestLog(LiveFeed feed) {
    this.feed = feed;
    this.writer = new Thread(this::drain, "feathergate-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void requestFinished(RequestRecord record) {
    if (closed) {
      return;
    }
    if (size.incrementAndGet() > CAPACITY) {
      size.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    pending.offer(record);
    // the writer sets the flag before its last look at the queue, so one side always sees the other
    if (writerParked.get()) {
      LockSupport.unpark(writer);
    }
  }

  private void drain() {
    while (true) {
      RequestRecord record = pending.poll();
      if (record != null) {
        size.decrementAndGet();
        write(record);
        continue;
      }
      flushHandlers();
      reportDropped();
      if (closed) {
        return;
      }
      // a short nap first, unannounced, so that while requests keep coming none of them has to
      // wake this thread (a context switch per request on a busy two-core machine); only when
      // the queue stays empty does the writer announce itself and sleep until woken
      LockSupport.parkNanos(this, BATCH_NANOS);
      if (!pending.isEmpty() || closed) {
        continue;
      }
      writerParked.set(true);
      if (pending.isEmpty() && !closed) {
        LockSupport.park(this);
      }
      writerParked.set(false);
    }
  }

  private void write(RequestRecord record) {
    try {
      if (LOG.isLoggable(Level.INFO)) {
        // logp names the source itself: plain info() makes JUL walk the stack to find the caller
        // as soon as a formatter asks for it, and SimpleFormatter always asks
        LOG.logp(Level.INFO, LOGGER, "requestFinished", AccessRecords.toJson(record));
      }
      feed.publish(record);
    } catch (RuntimeException e) {
      // a broken handler must not stop the log for everyone after it
      SELF.warning(() -> "access log record not written: " + e.getClass().getName());
    }
  }

  /**
   * Flushes the handlers the access log writes to, once what was queued is written: a handler may
   * leave access-log lines unflushed to write them in batches (the standalone console does).
   */
  private static void flushHandlers() {
    for (Logger logger = LOG; logger != null; logger = logger.getParent()) {
      for (Handler handler : logger.getHandlers()) {
        handler.flush();
      }
      if (!logger.getUseParentHandlers()) {
        return;
      }
    }
  }

  private void reportDropped() {
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      SELF.warning(
          () -> lost + " access log records dropped: the log could not keep up with the requests");
    }
  }

  /** Writes what is queued, then stops the writer thread. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
