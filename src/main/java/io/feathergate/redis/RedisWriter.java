package io.feathergate.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends what need not be waited for (ends of calls, tokens used, outcomes, cooldowns) on a thread
 * of its own, so that no request thread and no I/O reactor thread waits on Redis for them. Script
 * calls queued together go in one pipelined round trip (up to {@value #MAX_BATCH}). The queue is
 * bounded: when Redis is slower than the traffic, updates are dropped and counted rather than held
 * in memory without end (the counters of this replica still have them).
 */
final class RedisWriter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RedisWriter.class.getName());
  static final int MAX_PENDING = 10_000;
  static final int MAX_BATCH = 256;

  /** A script call whose answer is handed to {@code onAnswer} on the writer's thread. */
  record ScriptCall(Script script, String key, List<String> args, Consumer<Object> onAnswer) {}

  private static final Runnable STOP = () -> {};

  private final RedisLink redis;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(MAX_PENDING);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;

  RedisWriter(RedisLink redis) {
    this.redis = redis;
    this.thread = new Thread(this::run, "feathergate-redis-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a script call; its answer goes to {@code onAnswer}. */
  void call(Script script, String key, List<String> args, Consumer<Object> onAnswer) {
    offer(new ScriptCall(script, key, args, onAnswer));
  }

  /**
   * Queues any other work that talks to Redis (a publish, a catch-up).
   *
   * @return whether it was queued (else it is dropped and counted)
   */
  boolean submit(Runnable work) {
    return offer(work);
  }

  private boolean offer(Object update) {
    if (closing || !queue.offer(update)) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  private void run() {
    List<Object> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      List<ScriptCall> calls = new ArrayList<>(batch.size());
      boolean stop = false;
      for (Object update : batch) {
        if (update == STOP) {
          stop = true;
        } else if (update instanceof ScriptCall call) {
          calls.add(call);
        } else {
          runSafely((Runnable) update);
        }
      }
      batch.clear();
      if (!calls.isEmpty()) {
        runSafely(() -> send(calls));
      }
      if (stop) {
        return;
      }
    }
  }

  private void send(List<ScriptCall> calls) {
    List<Object> answers = redis.evalAll(calls);
    for (int i = 0; i < calls.size(); i++) {
      calls.get(i).onAnswer().accept(answers.get(i));
    }
  }

  private static void runSafely(Runnable work) {
    try {
      work.run();
    } catch (RedisLink.Unavailable e) {
      // the link logged the outage and counts it; this replica's own counters have it
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a shared counter update failed", e);
    }
  }

  /** Updates dropped because the queue was full. */
  long dropped() {
    return dropped.get();
  }

  /** Sends what is queued (for a bounded time), then stops. */
  @Override
  public void close() {
    closing = true;
    try {
      queue.put(STOP);
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }
}
