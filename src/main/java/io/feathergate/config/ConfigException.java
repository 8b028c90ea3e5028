package io.feathergate.config;

/** A config file that cannot be used at all: unreadable, not YAML, or not a mapping. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
