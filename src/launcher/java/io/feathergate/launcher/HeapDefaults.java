package io.feathergate.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets a plain {@code java -jar feathergate.war} give its heap back after a burst of load. On G1
 * the JVM sizes the heap from the machine's RAM and, with its defaults, keeps what a burst grew it
 * to: a gateway whose live set is about 20 MB stays at 340-490 MB resident (measured on a 24 GB
 * machine). A periodic collection when idle and tighter free-space ratios let G1 shrink the heap
 * again: 150-170 MB a minute after the load.
 *
 * <p>These flags are "manageable": they can be set in the running JVM, so no second JVM is
 * launched. Each is set only while it still has its built-in default, so any value the user gave
 * ({@code -XX:...} on the command line, {@code JAVA_TOOL_OPTIONS}, a flags file) wins, and nothing
 * is set under another collector, which the user chose on purpose.
 */
final class HeapDefaults {
  /** In order: G1 rejects a MaxHeapFreeRatio below the current MinHeapFreeRatio (40). */
  static final Map<String, String> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("MinHeapFreeRatio", "10");
    FLAGS.put("MaxHeapFreeRatio", "30");
    // a concurrent cycle after 30 s without any collection; under load, young collections come
    // far more often, so this only runs when the gateway is idle
    FLAGS.put("G1PeriodicGCInterval", "30000");
  }

  private HeapDefaults() {}

  /**
   * Sets each of {@link #FLAGS} the user left at its default, when {@code g1} is the collector.
   *
   * @return the flags set, as {@code name=value}
   */
  static List<String> apply(HotSpotDiagnosticMXBean vm, boolean g1) {
    List<String> applied = new ArrayList<>();
    if (!g1) {
      return applied;
    }
    for (Map.Entry<String, String> flag : FLAGS.entrySet()) {
      try {
        VMOption option = vm.getVMOption(flag.getKey());
        if (option.getOrigin() != VMOption.Origin.DEFAULT || !option.isWriteable()) {
          continue;
        }
        vm.setVMOption(flag.getKey(), flag.getValue());
        applied.add(flag.getKey() + "=" + flag.getValue());
      } catch (IllegalArgumentException e) {
        // an unknown flag (another JVM) or a value that conflicts with one the user set, such as
        // a MinHeapFreeRatio above 30: their setting stands
      }
    }
    return applied;
  }
}
