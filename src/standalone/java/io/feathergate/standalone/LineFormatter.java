package io.feathergate.standalone;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record, {@code 2025-01-31 12:00:00.123 INFO logger: message}, then the stack trace
 * if any: the layout of the {@code SimpleFormatter} format {@link ConsoleLogging} sets, without its
 * cost. SimpleFormatter parses its format string with a regular expression and asks the record for
 * its source, which makes JUL walk the stack, for every line; the access log writes one per
 * request.
 */
final class LineFormatter extends Formatter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  @Override
  public String format(LogRecord record) {
    String message = formatMessage(record);
    StringBuilder line = new StringBuilder(48 + message.length());
    TIME.formatTo(record.getInstant(), line);
    line.append(' ')
        .append(record.getLevel().getName())
        .append(' ')
        .append(record.getLoggerName())
        .append(": ")
        .append(message);
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      try (PrintWriter out = new PrintWriter(trace)) {
        out.println();
        record.getThrown().printStackTrace(out);
      }
      line.append(trace);
    } else {
      line.append(System.lineSeparator());
    }
    return line.toString();
  }
}
