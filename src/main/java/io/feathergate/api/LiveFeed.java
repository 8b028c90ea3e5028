package io.feathergate.api;

import io.feathergate.core.events.RequestRecord;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live feed behind {@code GET /admin/events}: every finished request, to every subscriber.
 *
 * <p>A request only appends to a ring of recent records and offers to each subscriber's queue,
 * without a lock and without waiting. Each subscriber has its own writer thread (a blocking SSE
 * write must never hold up a request, nor another subscriber); a subscriber that falls {@link
 * #SUBSCRIBER_BUFFER} events behind is dropped and its stream closed. Each event is flushed as it
 * is written, so a subscriber sees every request as soon as it finished.
 */
public final class LiveFeed implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LiveFeed.class.getName());

  static final int SUBSCRIBER_BUFFER = 256;
  static final int RECENT = 50;
  private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);

  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicReferenceArray<RequestRecord> recent = new AtomicReferenceArray<>(RECENT);
  private final AtomicLong published = new AtomicLong();
  private final int maxSubscribers;

  /** Places taken: by subscribers, and by requests between their check and their subscription. */
  private final AtomicInteger places = new AtomicInteger();

  private final ExecutorService writers;
  private volatile boolean closed;

  /**
   * @param maxSubscribers how many subscribers at once ({@code live_feed_max_subscribers}); each
   *     holds a writer thread while it is connected
   */
  public LiveFeed(int maxSubscribers) {
    this.maxSubscribers = maxSubscribers;
    this.writers =
        Executors.newFixedThreadPool(
            maxSubscribers,
            runnable -> {
              Thread thread = new Thread(runnable, "feathergate-live-feed");
              thread.setDaemon(true);
              return thread;
            });
  }

  int maxSubscribers() {
    return maxSubscribers;
  }

  /** Called on the request path: never blocks. */
  void publish(RequestRecord record) {
    long index = published.getAndIncrement();
    recent.set((int) (index % RECENT), record);
    for (Subscription subscription : subscriptions) {
      subscription.offer(record);
    }
  }

  /** The most recent records, oldest first. */
  List<RequestRecord> recent() {
    long end = published.get();
    List<RequestRecord> records = new ArrayList<>(RECENT);
    for (long i = Math.max(0, end - RECENT); i < end; i++) {
      RequestRecord record = recent.get((int) (i % RECENT));
      if (record != null) {
        records.add(record);
      }
    }
    return records;
  }

  int subscribers() {
    return subscriptions.size();
  }

  /**
   * Takes a place for one subscriber, before its response is committed, so that a full feed can
   * still answer with an error; false when the feed is full or closed.
   */
  boolean reserve() {
    while (true) {
      int taken = places.get();
      if (closed || taken >= maxSubscribers) {
        return false;
      }
      if (places.compareAndSet(taken, taken + 1)) {
        return true;
      }
    }
  }

  /**
   * Starts streaming to {@code sink} on a place {@link #reserve()} took: the recent records first.
   */
  void subscribe(SseEventSink sink, Sse sse) {
    Subscription subscription = new Subscription(sink, sse);
    subscriptions.add(subscription);
    recent().forEach(subscription::offer);
    try {
      writers.execute(subscription::run);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      subscription.stop();
      subscription.release();
      sink.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    subscriptions.forEach(Subscription::stop);
    writers.shutdown();
    try {
      if (!writers.awaitTermination(2, TimeUnit.SECONDS)) {
        writers.shutdownNow();
      }
    } catch (InterruptedException e) {
      writers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** One subscriber: a lock-free bounded queue and the thread that writes it out. */
  private final class Subscription {
    private final SseEventSink sink;
    private final Sse sse;
    private final Queue<RequestRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile Thread writer;
    private volatile boolean stopped;

    Subscription(SseEventSink sink, Sse sse) {
      this.sink = sink;
      this.sse = sse;
    }

    void offer(RequestRecord record) {
      if (stopped) {
        return;
      }
      if (queued.incrementAndGet() > SUBSCRIBER_BUFFER) {
        // too slow: drop it rather than hold memory or a request for it
        stop();
        return;
      }
      queue.add(record);
      wake();
    }

    private final AtomicBoolean released = new AtomicBoolean();

    /** Gives the place back, once. */
    void release() {
      if (released.compareAndSet(false, true)) {
        places.decrementAndGet();
      }
    }

    void stop() {
      stopped = true;
      // gone from the feed at once, even while its writer is still stuck in a write
      subscriptions.remove(this);
      wake();
    }

    private void wake() {
      Thread thread = writer;
      if (thread != null) {
        LockSupport.unpark(thread);
      }
    }

    void run() {
      writer = Thread.currentThread();
      try {
        send(sse.newEventBuilder().comment("FeatherGate live feed").build());
        long idleSince = System.nanoTime();
        while (!stopped && !closed && !sink.isClosed()) {
          RequestRecord record = queue.poll();
          if (record == null) {
            if (System.nanoTime() - idleSince > KEEPALIVE_NANOS) {
              // a write is the only way to notice a client that left while nothing happened
              send(sse.newEventBuilder().comment("keepalive").build());
              idleSince = System.nanoTime();
            }
            LockSupport.parkNanos(this, KEEPALIVE_NANOS);
            continue;
          }
          queued.decrementAndGet();
          send(
              sse.newEventBuilder()
                  .name("request")
                  .id(record.requestId())
                  .data(AccessRecords.toJson(record))
                  .build());
          idleSince = System.nanoTime();
        }
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "live feed subscriber gone: {0}", e.toString());
      } finally {
        subscriptions.remove(this);
        stopped = true;
        writer = null;
        release();
        queue.clear();
        try {
          sink.close();
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "closing a live feed stream failed: {0}", e.toString());
        }
      }
    }

    private void send(jakarta.ws.rs.sse.OutboundSseEvent event) {
      // the returned stage is already complete: Jersey writes in this thread
      sink.send(event).toCompletableFuture().join();
    }
  }
}
