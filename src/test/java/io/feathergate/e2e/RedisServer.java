package io.feathergate.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} for one test: Debian's binary ({@code .ci/run} installs the {@code
 * redis-server} package when it is missing), on a free loopback port, without persistence; killed
 * as an outage would kill it, started again on the same port. Without the binary, tests are skipped
 * on a developer's machine and fail in CI.
 */
public final class RedisServer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/redis-server");

  private final int port;
  private final Path dir;
  private Process process;

  /** Before the options: a config file and {@code --sentinel} for a Sentinel. */
  private List<String> extraArgs = List.of();

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  public static RedisServer start() throws Exception {
    return start(List.of());
  }

  /**
   * A Sentinel monitoring {@code master} as {@code name} (quorum 1): the same binary, in sentinel
   * mode.
   */
  public static RedisServer sentinel(RedisServer master, String name) throws Exception {
    RedisServer probe = start(null);
    Path config = probe.dir.resolve("sentinel.conf");
    Files.writeString(
        config,
        "sentinel monitor "
            + name
            + " 127.0.0.1 "
            + master.port()
            + " 1\n"
            + "sentinel down-after-milliseconds "
            + name
            + " 1000\n");
    probe.extraArgs = List.of(config.toString(), "--sentinel");
    probe.begin();
    return probe;
  }

  private static RedisServer start(List<String> args) throws Exception {
    if (!Files.isExecutable(BINARY)) {
      if (System.getenv("CI") != null) {
        throw new IllegalStateException("redis-server is missing: .ci/run installs it");
      }
      Assumptions.abort("redis-server is not installed (apt-get install redis-server)");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RedisServer server = new RedisServer(port, Files.createTempDirectory("feathergate-redis-"));
    if (args != null) {
      server.begin();
    }
    return server;
  }

  public int port() {
    return port;
  }

  /** Starts it (again, after {@link #kill}) on the same port, and waits until it answers. */
  public void begin() throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(extraArgs);
    command.addAll(
        List.of(
            "--bind",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString(),
            "--daemonize",
            "no"));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        if ("+PONG".equals(command("PING"))) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException(
            "redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
      }
      Thread.sleep(20);
    }
  }

  /** Kills it at once (SIGKILL): connections break, nothing is saved. */
  public void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Sends one inline command and returns the first line of the answer ({@code +PONG}, {@code :3},
   * {@code $5} for a bulk string, whose text is then the next line).
   */
  public String command(String inline) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      if (line.length() > 0 && line.charAt(0) == '$' && !line.toString().equals("$-1")) {
        StringBuilder value = new StringBuilder();
        while ((c = in.read()) >= 0 && c != '\n') {
          if (c != '\r') {
            value.append((char) c);
          }
        }
        return value.toString();
      }
      return line.toString();
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(dir)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
