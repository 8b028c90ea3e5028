package io.feathergate.boot;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JVM metrics (memory, GC, threads, class loading, process) in the default Prometheus registry that
 * {@code /metrics} serves.
 *
 * <p>Not {@code JvmMetrics.builder().register()}: that also registers {@code
 * JvmMemoryPoolAllocationMetrics}, which adds a listener to the JVM-wide garbage collector beans
 * and never removes it, so an undeployed WAR's class loader could never be collected. The registry
 * is static per class loader, so a second start in the same class loader (an embedded test server)
 * must not register the metrics again.
 */
final class JvmMetricsOnce {
  private static final AtomicBoolean REGISTERED = new AtomicBoolean();

  private JvmMetricsOnce() {}

  static void register() {
    if (!REGISTERED.compareAndSet(false, true)) {
      return;
    }
    JvmThreadsMetrics.builder().register();
    JvmBufferPoolMetrics.builder().register();
    JvmClassLoadingMetrics.builder().register();
    JvmCompilationMetrics.builder().register();
    JvmGarbageCollectorMetrics.builder().register();
    JvmMemoryMetrics.builder().register();
    JvmRuntimeInfoMetric.builder().register();
    ProcessMetrics.builder().register();
  }
}
