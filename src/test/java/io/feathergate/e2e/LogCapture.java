package io.feathergate.e2e;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what is logged under a logger while a test class runs, one line per record: level,
 * logger, message with its parameters, and the thrown exception, so that a test can assert what an
 * operator would read (and that no secret is in it).
 */
final class LogCapture extends Handler {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
  }

  /** Starts collecting under {@code logger} (held here: JUL keeps loggers only weakly). */
  static LogCapture on(Logger logger) {
    LogCapture capture = new LogCapture(logger);
    logger.addHandler(capture);
    return capture;
  }

  @Override
  public void publish(LogRecord record) {
    StringBuilder line =
        new StringBuilder()
            .append(record.getLevel())
            .append(' ')
            .append(record.getLoggerName())
            .append(' ')
            .append(record.getMessage());
    if (record.getParameters() != null) {
      for (Object parameter : record.getParameters()) {
        line.append(' ').append(parameter);
      }
    }
    if (record.getThrown() != null) {
      line.append(' ').append(record.getThrown());
    }
    lines.add(line.toString());
  }

  List<String> lines() {
    return lines;
  }

  String all() {
    return String.join("\n", lines);
  }

  /** Stops collecting. */
  @Override
  public void close() {
    logger.removeHandler(this);
  }

  @Override
  public void flush() {}
}
