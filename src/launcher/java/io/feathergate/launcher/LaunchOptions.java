package io.feathergate.launcher;

import java.nio.file.Path;

/**
 * The command line of {@code java -jar feathergate.war}, parsed without touching the file system or
 * the network, so that {@code --help}, {@code --version} and mistakes are answered at once.
 *
 * @param action what to do
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param config the {@code --config} file as an absolute path, or null when not given
 * @param dataDir the {@code --data-dir} directory as an absolute path, or null when not given
 */
record LaunchOptions(Action action, String host, int port, Path config, Path dataDir) {
  /** LiteLLM's proxy listens on 4000, so clients moving over keep their base URL. */
  static final int DEFAULT_PORT = 4000;

  /** Loopback only unless asked: an open gateway spends everyone's provider keys. */
  static final String DEFAULT_HOST = "127.0.0.1";

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: java -jar feathergate.war [--config FILE] [--bind HOST:PORT] [--data-dir DIR]",
          "                                 [--check]",
          "",
          "Runs the FeatherGate gateway on an embedded Jetty. The same WAR deploys unchanged",
          "into Tomcat, Jetty or WildFly.",
          "",
          "Options:",
          "  --config FILE     LiteLLM config.yaml (otherwise $FEATHERGATE_CONFIG,",
          "                    $CONFIG_FILE_PATH, or the built-in default)",
          "  --bind HOST:PORT  where to listen (default 127.0.0.1:4000); also --bind PORT",
          "                    and --bind [::1]:PORT",
          "  --host HOST       only the host part of --bind",
          "  --port PORT       only the port part of --bind",
          "  --data-dir DIR    where the embedded key database lives (otherwise",
          "                    $FEATHERGATE_DATA_DIR, else ~/.feathergate)",
          "  --check           start the gateway (on a free loopback port unless --bind",
          "                    says otherwise), then stop and exit: 0 if it started",
          "  --version         print the version and exit",
          "  --help            print this help and exit",
          "",
          "The embedded server is unpacked once into ${java.io.tmpdir}/feathergate-*.",
          "Exit status: 0 after --help/--version/--check, 1 when the server cannot start,",
          "2 for a bad command line, 143 after SIGTERM (in-flight requests get 10 s).");

  enum Action {
    RUN,
    /** Start, then stop at once: a start-up check, and the training run of a class archive. */
    CHECK,
    HELP,
    VERSION
  }

  /** A command line that cannot be run; the message names the offending argument. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Parses {@code args}; {@code --help} and {@code --version} stop parsing where they appear. */
  static LaunchOptions parse(String... args) throws UsageException {
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    Path config = null;
    Path dataDir = null;
    Action action = Action.RUN;
    boolean portGiven = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String inlineValue = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        inlineValue = arg.substring(equals + 1);
      }
      switch (name) {
        case "--help", "-h" -> {
          return new LaunchOptions(Action.HELP, host, port, config, dataDir);
        }
        case "--version" -> {
          return new LaunchOptions(Action.VERSION, host, port, config, dataDir);
        }
        case "--check" -> action = Action.CHECK;
        case "--config" -> {
          String value = inlineValue != null ? inlineValue : valueAfter(args, i++, name);
          if (value.isBlank()) {
            throw new UsageException("--config needs a file name");
          }
          config = Path.of(value).toAbsolutePath().normalize();
        }
        case "--data-dir" -> {
          String value = inlineValue != null ? inlineValue : valueAfter(args, i++, name);
          if (value.isBlank()) {
            throw new UsageException("--data-dir needs a directory");
          }
          dataDir = Path.of(value).toAbsolutePath().normalize();
        }
        case "--bind" -> {
          String value = inlineValue != null ? inlineValue : valueAfter(args, i++, name);
          HostPort bind = HostPort.parse(value);
          host = bind.host() != null ? bind.host() : host;
          port = bind.port();
          portGiven = true;
        }
        case "--host" -> {
          String value = inlineValue != null ? inlineValue : valueAfter(args, i++, name);
          host = HostPort.host(value);
        }
        case "--port" -> {
          String value = inlineValue != null ? inlineValue : valueAfter(args, i++, name);
          port = HostPort.port(value);
          portGiven = true;
        }
        default ->
            throw new UsageException(
                arg.startsWith("-") ? "unknown option " + arg : "unexpected argument " + arg);
      }
    }
    // a check must not collide with a gateway already serving on the default port
    int listenPort = action == Action.CHECK && !portGiven ? 0 : port;
    return new LaunchOptions(action, host, listenPort, config, dataDir);
  }

  private static String valueAfter(String[] args, int index, String name) throws UsageException {
    if (index + 1 >= args.length || args[index + 1].startsWith("--")) {
      throw new UsageException(name + " needs a value");
    }
    return args[index + 1];
  }

  /** The {@code --bind} value; a null host keeps the one already chosen. */
  record HostPort(String host, int port) {
    static HostPort parse(String value) throws UsageException {
      if (value.startsWith("[")) {
        int close = value.indexOf(']');
        if (close < 0 || !value.startsWith(":", close + 1)) {
          throw new UsageException("--bind " + value + ": expected [IPv6]:PORT");
        }
        return new HostPort(host(value.substring(1, close)), port(value.substring(close + 2)));
      }
      int colon = value.lastIndexOf(':');
      if (colon < 0) {
        return new HostPort(null, port(value));
      }
      if (value.indexOf(':') != colon) {
        throw new UsageException("--bind " + value + ": write IPv6 addresses as [::1]:4000");
      }
      return new HostPort(host(value.substring(0, colon)), port(value.substring(colon + 1)));
    }

    static String host(String value) throws UsageException {
      String host = value.strip();
      if (host.isEmpty()) {
        throw new UsageException("empty host in --bind/--host");
      }
      return host;
    }

    static int port(String value) throws UsageException {
      try {
        int port = Integer.parseInt(value.strip());
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below with the offending text
      }
      throw new UsageException("not a port number: '" + value + "' (0-65535)");
    }
  }
}
