package io.feathergate.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the warnings and errors of one load, each prefixed with the source name and YAML path so
 * a reader can find the line. Identical lines are kept once: a key reached twice (through an alias,
 * say) still warns once.
 *
 * <p>Messages are written by this package only and never include a configured value, so no secret
 * can reach the log through them.
 */
final class Problems {
  private final String sourceName;
  private final Set<String> warnings = new LinkedHashSet<>();
  private final Set<String> errors = new LinkedHashSet<>();

  Problems(String sourceName) {
    this.sourceName = sourceName;
  }

  /** Something was ignored or adjusted; the gateway runs as configured otherwise. */
  void warn(String path, String message) {
    warnings.add(line(path, message));
  }

  /** Something was rejected: a skipped entry, an invalid value, an unset variable. */
  void error(String path, String message) {
    errors.add(line(path, message));
  }

  List<String> warnings() {
    return new ArrayList<>(warnings);
  }

  List<String> errors() {
    return new ArrayList<>(errors);
  }

  private String line(String path, String message) {
    return path.isEmpty() ? sourceName + ": " + message : sourceName + ": " + path + ": " + message;
  }
}
