package io.feathergate.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for one test class: Debian's binaries ({@code .ci/run} installs the
 * {@code postgresql} package when they are missing), a fresh cluster in a temporary directory, on a
 * free loopback port, stopped and deleted afterwards. As root, the server runs as the {@code
 * postgres} user, since PostgreSQL refuses to run as root. Without the binaries, tests are skipped
 * on a developer's machine and fail in CI.
 */
final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path dataDir;
  private final boolean asPostgresUser;
  private final int port;

  private final List<String> startCommand = new ArrayList<>();

  private PostgresServer(Path bin, Path dataDir, boolean asPostgresUser, int port) {
    this.bin = bin;
    this.dataDir = dataDir;
    this.asPostgresUser = asPostgresUser;
    this.port = port;
  }

  static PostgresServer start() throws Exception {
    Path bin = binaries();
    if (bin == null) {
      if (System.getenv("CI") != null) {
        throw new IllegalStateException("PostgreSQL's binaries are missing: .ci/run installs them");
      }
      Assumptions.abort("PostgreSQL is not installed (apt-get install postgresql)");
    }
    Path parent = Files.createTempDirectory("feathergate-pg-");
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path dataDir = parent.resolve("data");
    boolean root = "root".equals(System.getProperty("user.name"));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PostgresServer server = new PostgresServer(bin, dataDir, root, port);
    if (root) {
      run(List.of("chown", "postgres:postgres", parent.toString()));
    }
    server.pg("initdb", "-D", dataDir.toString(), "-A", "trust", "-U", "feathergate", "-E", "UTF8");
    server.startCommand.addAll(
        List.of(
            "pg_ctl",
            "-D",
            dataDir.toString(),
            "-w",
            "-l",
            parent.resolve("log").toString(),
            "-o",
            "-p " + port + " -k " + parent + " -c listen_addresses=127.0.0.1 -c fsync=off",
            "start"));
    server.begin();
    return server;
  }

  /** Starts the server (again, after {@link #stop}) on the same port and data. */
  void begin() throws Exception {
    pg(startCommand.get(0), startCommand.subList(1, startCommand.size()).toArray(String[]::new));
  }

  /** Stops the server at once, as an outage would: clients' connections break. */
  void stop() throws Exception {
    pg("pg_ctl", "-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
  }

  /** The JDBC URL of this server's {@code postgres} database (user {@code feathergate}). */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Whether a table of this name exists, asked over JDBC. */
  boolean hasRows(String table) throws java.sql.SQLException {
    try (var connection = java.sql.DriverManager.getConnection(jdbcUrl(), "feathergate", "");
        var statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      return rows.next() && rows.getLong(1) > 0;
    }
  }

  /** LiteLLM's {@code DATABASE_URL} form for this server. */
  String databaseUrl() {
    return "postgresql://feathergate@127.0.0.1:" + port + "/postgres";
  }

  private static Path binaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(version -> version.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(Path::toString))
          .orElse(null);
    }
  }

  private void pg(String program, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    if (asPostgresUser) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  @Override
  public void close() throws Exception {
    pg("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
    run(List.of("rm", "-rf", dataDir.getParent().toString()));
  }
}
