package io.feathergate.standalone;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * The console handler of the standalone gateway: one {@link LineFormatter} line per record on
 * standard error. Access-log lines are buffered, and go out when the access log flushes after each
 * batch of requests or when 8 KB have gathered; every other record is flushed at once. The JDK's
 * ConsoleHandler makes a system call for every line, which a busy gateway pays once per request.
 */
final class ConsoleLineHandler extends StreamHandler {
  /** {@code RequestLog.LOGGER}, which lives in the webapp's class loader. */
  static final String ACCESS_LOGGER = "io.feathergate.access";

  ConsoleLineHandler(Handler replaced) {
    super(System.err, new LineFormatter());
    setLevel(replaced.getLevel());
  }

  @Override
  public synchronized void publish(LogRecord record) {
    super.publish(record);
    if (!ACCESS_LOGGER.equals(record.getLoggerName())) {
      flush();
    }
  }

  /** Flushes instead of closing: closing would close standard error. */
  @Override
  public synchronized void close() {
    flush();
  }
}
