package io.feathergate.boot;

import jakarta.servlet.ServletContext;
import java.util.Map;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Finds the config file: the first of {@code --config} (passed by the standalone launcher as a
 * system property), system property {@code feathergate.config}, env {@code FEATHERGATE_CONFIG}, env
 * {@code CONFIG_FILE_PATH} (LiteLLM's), context init-param {@code feathergate.config}, JNDI {@code
 * java:comp/env/feathergate/config}; null means the built-in default.
 */
final class ConfigLocator {
  /** Set by the standalone launcher from {@code --config}; beats everything else. */
  static final String CLI_PROPERTY = "feathergate.cli.config";

  static final String PROPERTY = "feathergate.config";
  static final String JNDI_NAME = "java:comp/env/feathergate/config";

  /** Where a config path came from, for the startup log. */
  record Location(String path, String origin) {}

  private ConfigLocator() {}

  static Location locate(
      Function<String, String> systemProperties,
      Map<String, String> environment,
      ServletContext context,
      Function<String, String> jndi) {
    Location found =
        first(
            new Location(systemProperties.apply(CLI_PROPERTY), "--config"),
            new Location(systemProperties.apply(PROPERTY), "system property " + PROPERTY),
            new Location(environment.get("FEATHERGATE_CONFIG"), "env FEATHERGATE_CONFIG"),
            new Location(environment.get("CONFIG_FILE_PATH"), "env CONFIG_FILE_PATH"),
            new Location(context.getInitParameter(PROPERTY), "context parameter " + PROPERTY),
            new Location(jndi.apply(JNDI_NAME), "JNDI " + JNDI_NAME));
    return found;
  }

  private static Location first(Location... candidates) {
    for (Location candidate : candidates) {
      if (candidate.path() != null && !candidate.path().isBlank()) {
        return new Location(candidate.path().strip(), candidate.origin());
      }
    }
    return null;
  }

  /** Looks a name up in the container's JNDI environment; null when there is none. */
  // The name is a fixed java:comp/env entry that the deployer sets in the container: a documented
  // config source, never a name taken from a request.
  @SuppressWarnings("BanJNDI")
  static String lookupJndi(String name) {
    try {
      Object value = new InitialContext().lookup(name);
      return value == null ? null : value.toString();
    } catch (NamingException | RuntimeException e) {
      return null; // no JNDI (standalone, tests) or no such entry
    }
  }
}
