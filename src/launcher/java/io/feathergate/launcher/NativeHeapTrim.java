package io.feathergate.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Gives the C heap's free memory back to the system now and then. HotSpot's JIT compilers take
 * their scratch memory with {@code malloc} and free it after each compilation, and glibc keeps what
 * was freed in its arenas: of an idle gateway's ~125 MB resident, ~20 MB is such freed memory
 * (measured with {@code jcmd <pid> System.trim_native_heap}: 125 → 105 MB after start; with a JIT
 * that keeps compiling under load it comes back, so one trim is not enough).
 *
 * <p>The JVM can do this itself ({@code -XX:TrimNativeHeapInterval}, JDK 17.0.9 and later), but
 * that flag cannot be set in a running JVM, and a plain {@code java -jar} has no flags. So, unless
 * the user set that flag, a daemon thread runs the same trim (the {@code System.trim_native_heap}
 * diagnostic command) every {@link #INTERVAL}. It stops on a C library that cannot trim (musl).
 */
final class NativeHeapTrim {
  static final Duration INTERVAL = Duration.ofSeconds(30);

  private static final String JVM_FLAG = "TrimNativeHeapInterval";
  private static final String OPERATION = "systemTrimNativeHeap";
  private static final String UNSUPPORTED = "Not available";

  private final MBeanServer server;
  private final ObjectName commands;

  private NativeHeapTrim(MBeanServer server, ObjectName commands) {
    this.server = server;
    this.commands = commands;
  }

  /**
   * Starts the trimming thread unless the user gave the JVM a trim interval of its own; whether it
   * did. The platform MBean server that runs the command is brought up by that thread after its
   * first wait, not here: it loads a few hundred classes that the start would otherwise wait for.
   */
  static boolean start() {
    try {
      if (!wanted(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class))) {
        return false;
      }
      Thread thread = new Thread(NativeHeapTrim::runEvery, "feathergate-heap-trim");
      thread.setDaemon(true);
      thread.setPriority(Thread.MIN_PRIORITY);
      thread.start();
      return true;
    } catch (LinkageError | RuntimeException e) {
      // a runtime image without the jdk.management module: no trimming
      return false;
    }
  }

  /**
   * False when the user gave the JVM its own trim interval: it then trims by itself, or, with 0,
   * not at all, as asked.
   */
  static boolean wanted(HotSpotDiagnosticMXBean vm) {
    try {
      return vm.getVMOption(JVM_FLAG).getOrigin() == VMOption.Origin.DEFAULT;
    } catch (IllegalArgumentException e) {
      // a JVM older than the flag: only the diagnostic command may be there
      return true;
    }
  }

  /** The trim on this server, or null when its JVM has no such diagnostic command. */
  static NativeHeapTrim available(MBeanServer server) {
    try {
      ObjectName commands = new ObjectName("com.sun.management:type=DiagnosticCommand");
      if (!server.isRegistered(commands)) {
        return null;
      }
      for (var operation : server.getMBeanInfo(commands).getOperations()) {
        if (operation.getName().equals(OPERATION)) {
          return new NativeHeapTrim(server, commands);
        }
      }
      return null;
    } catch (JMException e) {
      return null;
    }
  }

  /**
   * Trims once.
   *
   * @return what the JVM reports (the resident size before and after), or null when this C library
   *     cannot trim
   */
  String trim() throws JMException {
    Object report = server.invoke(commands, OPERATION, new Object[0], new String[0]);
    String text = String.valueOf(report).trim();
    return text.contains(UNSUPPORTED) ? null : text;
  }

  private static void runEvery() {
    try {
      TimeUnit.MILLISECONDS.sleep(INTERVAL.toMillis());
      NativeHeapTrim trim = available(ManagementFactory.getPlatformMBeanServer());
      while (trim != null && trim.trim() != null) {
        TimeUnit.MILLISECONDS.sleep(INTERVAL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (JMException | LinkageError | RuntimeException e) {
      // the command failed: the gateway runs on as it would without this thread
    }
  }
}
