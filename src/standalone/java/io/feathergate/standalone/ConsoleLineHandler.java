package io.feathergate.standalone;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * The console handler of a standalone gateway: lines go to standard error, as {@code
 * ConsoleHandler}'s do, but an access-log line is not flushed on its own. The access log's writer
 * flushes once it has written what was queued (through {@code Handler.flush}), so a busy gateway
 * writes its access log a few kilobytes at a time instead of one system call per request. Every
 * other line is flushed at once.
 */
final class ConsoleLineHandler extends StreamHandler {
  /** {@code RequestLog.LOGGER}; that class lives in the webapp's loader. */
  private static final String ACCESS_LOGGER = "io.feathergate.access";

  ConsoleLineHandler(Level level) {
    super(System.err, new LineFormatter());
    setLevel(level);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    super.publish(record);
    if (!ACCESS_LOGGER.equals(record.getLoggerName())) {
      flush();
    }
  }

  /** Flushes, and leaves standard error open, as {@code ConsoleHandler} does. */
  @Override
  public synchronized void close() {
    flush();
  }
}
