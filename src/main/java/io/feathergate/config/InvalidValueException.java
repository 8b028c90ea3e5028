package io.feathergate.config;

/**
 * A value that cannot be used, thrown by the readers in {@link Values} and caught by the parser
 * that knows what to skip. The message describes the problem without quoting the value.
 */
final class InvalidValueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String path;

  InvalidValueException(String path, String problem) {
    super(problem, null, false, false);
    this.path = path;
  }

  /** The YAML path of the offending value. */
  String path() {
    return path;
  }

  /** The problem, without path or source name. */
  String problem() {
    return getMessage();
  }
}
