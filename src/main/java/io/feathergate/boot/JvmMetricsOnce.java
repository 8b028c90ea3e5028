package io.feathergate.boot;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JVM metrics (memory, GC, threads, class loading) in the default Prometheus registry that {@code
 * /metrics} serves. The registry is static per class loader, so a second start in the same class
 * loader (an embedded test server, a context restart) must not register them again.
 */
final class JvmMetricsOnce {
  private static final AtomicBoolean REGISTERED = new AtomicBoolean();

  private JvmMetricsOnce() {}

  static void register() {
    if (REGISTERED.compareAndSet(false, true)) {
      JvmMetrics.builder().register();
    }
  }
}
