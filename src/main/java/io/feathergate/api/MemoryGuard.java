package io.feathergate.api;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Refuses new requests while the JVM is short of memory, so that the requests in flight can finish.
 * Without it a burst of streams runs the JVM out of memory, and an {@link OutOfMemoryError} kills
 * whichever thread meets it, the upstream client's reactor threads included, after which no answer
 * arrives on their connections ever again.
 *
 * <p>Two signals, each against {@value #SHARE_PERCENT} % of its limit: the direct buffer memory in
 * use (the container's socket buffers; one atomic read per request) and the heap in use after the
 * last collection (from the collectors' notifications, so nothing is measured per request). A heap
 * signal older than {@link #STALE_NANOS} is not trusted: a JVM short of memory collects often, so
 * no collection for that long means there is room again.
 */
public final class MemoryGuard implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MemoryGuard.class.getName());

  static final int SHARE_PERCENT = 90;

  private static final long STALE_NANOS = 2_000_000_000L;

  private static final String GC_NOTIFICATION = "com.sun.management.gc.notification";

  private static final double MIB = 1024.0 * 1024.0;

  private static final String MAX_DIRECT_OPTION = "MaxDirectMemorySize";

  private final LongSupplier directUsed;
  private final long directLimit;
  private final long heapLimit;
  private final Set<String> heapPools;
  private final LongSupplier clock;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = (notification, handback) -> collected(notification);

  /** Heap in use after the last collection; written by the collectors' notification thread. */
  private volatile long heapAfterCollection;

  private volatile long collectedAt;

  /** Whether requests are being refused, for logging the change once rather than per request. */
  private volatile boolean refusing;

  MemoryGuard(
      LongSupplier directUsed,
      long directMax,
      long heapMax,
      Set<String> heapPools,
      LongSupplier clock) {
    this.directUsed = directUsed;
    this.directLimit = directMax / 100 * SHARE_PERCENT;
    this.heapLimit = heapMax / 100 * SHARE_PERCENT;
    this.heapPools = heapPools;
    this.clock = clock;
  }

  /** A guard on this JVM's memory, listening to its collectors until closed. */
  public static MemoryGuard start() {
    BufferPoolMXBean direct =
        ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> "direct".equals(pool.getName()))
            .findFirst()
            .orElse(null);
    Set<String> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    MemoryGuard guard =
        new MemoryGuard(
            direct == null ? () -> 0 : direct::getMemoryUsed,
            maxDirectMemory(),
            Runtime.getRuntime().maxMemory(),
            heapPools,
            System::nanoTime);
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(guard.listener, null, null);
        guard.emitters.add(emitter);
      }
    }
    return guard;
  }

  /**
   * {@code -XX:MaxDirectMemorySize}; when unset (0) or unreadable, the heap's maximum, which is the
   * JVM's default. Read from the HotSpot diagnostic bean directly: the platform MBean server's
   * first use registers every platform bean, tens of milliseconds of a standalone start. A
   * container whose class loading hides {@code com.sun.management} from the webapp has started that
   * server already, so it is asked there. The standalone server reads the same option for its
   * buffer pool: it runs in a class loader of its own and cannot use this class.
   */
  private static long maxDirectMemory() {
    long heapMax = Runtime.getRuntime().maxMemory();
    String value;
    try {
      value =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
              .getVMOption(MAX_DIRECT_OPTION)
              .getValue();
    } catch (LinkageError e) {
      value = optionFromMBeanServer();
    } catch (RuntimeException e) {
      // not a HotSpot JVM, or no such option there: the default is what applies
      value = null;
    }
    long limit = value == null ? 0 : Long.parseLong(value);
    return limit > 0 ? limit : heapMax;
  }

  private static String optionFromMBeanServer() {
    try {
      Object option =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                  "getVMOption",
                  new Object[] {MAX_DIRECT_OPTION},
                  new String[] {String.class.getName()});
      return (String) ((CompositeData) option).get("value");
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Whether a new request should be refused now.
   *
   * @return a description of the shortage for the log, or null when there is room
   */
  public String shortage() {
    String shortage = measure();
    if ((shortage != null) != refusing) {
      refusing = shortage != null;
      LOG.warning(
          shortage != null
              ? "Refusing new requests until the ones in flight free memory: " + shortage
              : "Memory is available again: taking new requests");
    }
    return shortage;
  }

  private String measure() {
    long direct = directUsed.getAsLong();
    if (direct > directLimit) {
      return String.format(
          Locale.ROOT,
          "direct buffer memory %.0f MB in use, over %d %% of its %.0f MB limit",
          direct / MIB,
          SHARE_PERCENT,
          directLimit / MIB / SHARE_PERCENT * 100);
    }
    long heap = heapAfterCollection;
    if (heap > heapLimit && clock.getAsLong() - collectedAt < STALE_NANOS) {
      return String.format(
          Locale.ROOT,
          "heap %.0f MB in use after a collection, over %d %% of its %.0f MB limit",
          heap / MIB,
          SHARE_PERCENT,
          heapLimit / MIB / SHARE_PERCENT * 100);
    }
    return null;
  }

  /** A collection ended: its heap pools' usage after it is the heap signal. */
  void collected(Notification notification) {
    if (!GC_NOTIFICATION.equals(notification.getType())
        || !(notification.getUserData() instanceof CompositeData info)
        || !(info.get("gcInfo") instanceof CompositeData gcInfo)
        || !(gcInfo.get("memoryUsageAfterGc") instanceof TabularData after)) {
      return;
    }
    long used = 0;
    for (Object row : after.values()) {
      CompositeData entry = (CompositeData) row;
      if (heapPools.contains((String) entry.get("key"))
          && entry.get("value") instanceof CompositeData usage) {
        used += (Long) usage.get("used");
      }
    }
    heapAfterCollection = used;
    collectedAt = clock.getAsLong();
  }

  /** The heap in use after the last collection heard of; 0 before the first. */
  long heapAfterCollection() {
    return heapAfterCollection;
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // already gone: nothing to undo
      }
    }
    emitters.clear();
  }
}
