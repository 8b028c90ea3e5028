package io.feathergate.redis;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends what need not be waited for (ends of calls, tokens used, outcomes, cooldowns) on a thread
 * of its own, so that no request thread and no I/O reactor thread waits on Redis for them. The
 * queue is bounded: when Redis is slower than the traffic, updates are dropped and counted rather
 * than held in memory without end (the counters of this replica still have them).
 */
final class RedisWriter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RedisWriter.class.getName());
  static final int MAX_PENDING = 10_000;

  private final ThreadPoolExecutor thread;
  private final AtomicLong dropped = new AtomicLong();

  RedisWriter() {
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_PENDING),
            runnable -> {
              Thread t = new Thread(runnable, "feathergate-redis-writer");
              t.setDaemon(true);
              return t;
            },
            (runnable, executor) -> dropped.incrementAndGet());
  }

  /** Queues an update; a failed one is already counted by the link, and is not retried. */
  void submit(Runnable update) {
    thread.execute(
        () -> {
          try {
            update.run();
          } catch (RedisLink.Unavailable e) {
            // the link logged the outage and counts it; this replica's own counters have it
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a shared counter update failed", e);
          }
        });
  }

  /** Updates dropped because the queue was full. */
  long dropped() {
    return dropped.get();
  }

  /** Updates waiting. */
  int pending() {
    return thread.getQueue().size();
  }

  /** Sends what is queued (for a bounded time), then stops. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
