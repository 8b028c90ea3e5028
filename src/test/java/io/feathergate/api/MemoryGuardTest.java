package io.feathergate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.junit.jupiter.api.Test;

class MemoryGuardTest {
  private static final long MB = 1024 * 1024;

  private final AtomicLong direct = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private MemoryGuard guard(long directMax, long heapMax) {
    return new MemoryGuard(direct::get, directMax, heapMax, heapPools(), nanos::get);
  }

  @Test
  void directMemoryOverNinetyPercentRefusesAndUnderItTakesAgain() {
    MemoryGuard guard = guard(100 * MB, Long.MAX_VALUE);
    direct.set(89 * MB);
    assertThat(guard.shortage()).isNull();

    direct.set(91 * MB);
    assertThat(guard.shortage())
        .isEqualTo("direct buffer memory 91 MB in use, over 90 % of its 100 MB limit");
    assertThat(guard.shortage()).isNotNull(); // still short on the next request

    direct.set(50 * MB);
    assertThat(guard.shortage()).isNull();
  }

  @Test
  void theHeapAfterACollectionCountsUntilItIsStale() throws Exception {
    Notification collection = aRealCollection();
    MemoryGuard roomy = guard(Long.MAX_VALUE, Long.MAX_VALUE);
    roomy.collected(collection);
    assertThat(roomy.shortage()).isNull();

    // the same collection in a JVM whose heap limit is 1 KB: whatever survived is over it
    MemoryGuard tight = guard(Long.MAX_VALUE, 1024);
    assertThat(tight.shortage()).as("no collection seen yet").isNull();
    tight.collected(collection);
    assertThat(tight.shortage()).startsWith("heap ").contains("in use after a collection");

    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_900));
    assertThat(tight.shortage()).as("1.9 s after the collection").isNotNull();
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(tight.shortage()).as("no collection for 2.1 s: there is room").isNull();
  }

  @Test
  void otherNotificationsAreIgnored() {
    MemoryGuard tight = guard(Long.MAX_VALUE, 1024);
    tight.collected(new Notification("jmx.attribute.change", this, 1));
    assertThat(tight.shortage()).isNull();
  }

  @Test
  void aStartedGuardHearsTheJvmsCollections() throws Exception {
    try (MemoryGuard guard = MemoryGuard.start()) {
      System.gc(); // the collection whose notification the guard must have heard
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (guard.heapAfterCollection() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10); // the notification arrives on the JMX service thread
      }
      assertThat(guard.heapAfterCollection()).isPositive();
      assertThat(guard.shortage()).isNull();
    }
  }

  /** A collection's notification as this JVM sends it. */
  private static Notification aRealCollection() throws Exception {
    BlockingQueue<Notification> seen = new LinkedBlockingQueue<>();
    NotificationListener listener = (notification, handback) -> seen.add(notification);
    List<NotificationEmitter> emitters = new ArrayList<>();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      NotificationEmitter emitter = (NotificationEmitter) collector;
      emitter.addNotificationListener(listener, null, null);
      emitters.add(emitter);
    }
    try {
      System.gc();
      Notification notification = seen.poll(5, TimeUnit.SECONDS);
      assertThat(notification).as("a collection's notification").isNotNull();
      return notification;
    } finally {
      for (NotificationEmitter emitter : emitters) {
        emitter.removeNotificationListener(listener);
      }
    }
  }

  private static Set<String> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getName)
        .collect(Collectors.toSet());
  }
}
