package io.feathergate.standalone;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Console logging defaults for a gateway started from a terminal or a service manager. Inside a
 * container the container owns logging; here nobody else sets it up, and the JDK's default format
 * spreads every record over two lines. Anything the user set on the command line wins.
 */
final class ConsoleLogging {
  private static final String JUL_FORMAT = "java.util.logging.SimpleFormatter.format";

  private ConsoleLogging() {}

  /** Must run before the first logger is created: both frameworks read their settings once. */
  static void configure() {
    if (System.getProperty("java.util.logging.config.file") == null
        && System.getProperty("java.util.logging.config.class") == null) {
      // 2025-01-31 12:00:00.123 INFO io.feathergate: message, then the stack trace if any
      if (System.getProperty(JUL_FORMAT) == null) {
        System.setProperty(JUL_FORMAT, "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        // the same layout on the console, written without SimpleFormatter's per-line cost, and
        // the access log flushed once per batch of lines rather than once per request
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
          if (handler instanceof ConsoleHandler) {
            root.removeHandler(handler);
            root.addHandler(new ConsoleLineHandler(handler.getLevel()));
          }
        }
      }
    }
    // Jetty's own INFO lines (version banner, started/stopped components) add nothing for an
    // operator of the gateway; warnings and errors still show. -Dorg.eclipse.jetty.LEVEL=INFO
    // brings them back.
    System.getProperties().putIfAbsent("org.eclipse.jetty.LEVEL", "WARN");
  }
}
