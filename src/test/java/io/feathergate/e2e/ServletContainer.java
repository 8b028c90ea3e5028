package io.feathergate.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real servlet container from its Maven Central distribution, run as its own process on loopback,
 * with the built WAR deployed the container's ordinary way.
 */
abstract class ServletContainer implements AutoCloseable {
  static final Path WAR = Path.of(System.getProperty("feathergate.war", "target/feathergate.war"));

  /** HTTP/1.1 only: with HTTP/2 the JDK client asks to upgrade, which clashes with closing. */
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  final Path home;
  final Path config;
  final int port;
  final Path log;
  private Process process;
  private long startedAt;

  ServletContainer(Path home, Path config, String name) throws IOException {
    this.home = home;
    this.config = config;
    this.port = freePort();
    Path logs = Path.of(System.getProperty("containers.dir", "target/containers"), "logs");
    Files.createDirectories(logs);
    this.log = logs.resolve(name + ".log");
  }

  abstract String displayName();

  abstract String version();

  /** The URL the webapp answers on, without a trailing slash. */
  abstract String baseUrl();

  /** Lays out the container (port, config mechanism) and copies the WAR in. */
  abstract void prepare() throws Exception;

  abstract List<String> command();

  Map<String, String> environment() {
    return Map.of();
  }

  /** Where the container process starts. */
  Path workingDirectory() {
    return home;
  }

  /** Puts the WAR (back) where the container deploys it from. */
  abstract void deploy() throws IOException;

  /** Removes the WAR so the container undeploys it. */
  abstract void undeploy() throws IOException;

  /**
   * Whether an undeployed WAR's classes can be expected gone after a full GC. WildFly says no: an
   * idle worker thread of its pool keeps the last task it ran (here an async-context dispatch,
   * which leads to the deployment) in a stack slot until it runs another one, so the class loader
   * outlives the undeploy by an unpredictable time; a heap dump shows no other path to it.
   */
  boolean unloadsClassesPromptly() {
    return true;
  }

  /**
   * The PostgreSQL behind the container's own {@code jdbc/feathergate} DataSource, or null when the
   * container offers none and the gateway keeps its keys in its embedded database.
   */
  PostgresServer containerPool() {
    return null;
  }

  /** Where the gateway's embedded key database lives: made anew for every run. */
  Path embeddedDataDir() {
    return log.resolveSibling(log.getFileName() + ".data");
  }

  /** Lines of the container's own log that reveal a leak on undeploy; none by default. */
  List<String> leakWarnings() throws IOException {
    return List.of();
  }

  void start() throws Exception {
    prepare();
    emptyDirectory(embeddedDataDir());
    ProcessBuilder builder = new ProcessBuilder(command()).directory(workingDirectory().toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(environment());
    // the embedded key database of the gateway under test lives with the container
    builder.environment().put("FEATHERGATE_DATA_DIR", embeddedDataDir().toString());
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    startedAt = System.nanoTime();
    process = builder.start();
  }

  /** Waits (bounded) until readiness answers 200; returns the milliseconds since {@link #start}. */
  long awaitReady(Duration limit) throws Exception {
    long since = startedAt;
    awaitStatus("/health/readiness", 200, limit);
    return (System.nanoTime() - since) / 1_000_000;
  }

  /** Waits (bounded) until the given path answers the given status. */
  void awaitStatus(String path, int status, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new AssertionError(
            displayName() + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        last = get(path).statusCode();
        if (last == status) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        displayName()
            + ": "
            + path
            + " did not answer "
            + status
            + " within "
            + limit
            + " (last "
            + last
            + "); see "
            + log);
  }

  /**
   * A request on a connection of its own: a keep-alive connection would stay tied to the webapp
   * that served it last (Jetty keeps its channel), which the undeploy check would count as a leak.
   */
  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + MASTER_KEY)
        .header("Connection", "close");
  }

  /** The master key of the container checks' config. */
  static final String MASTER_KEY = "sk-container-master";

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return HTTP.send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The JVM that runs the container: the started process or (WildFly) its java child. */
  long javaPid() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no java process under " + process.pid()))
        .pid();
  }

  /** Heap in use right after a full GC, in megabytes. */
  double heapAfterGcMb() throws Exception {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
    if (!used.find()) {
      throw new AssertionError("no heap figure in: " + info);
    }
    return Long.parseLong(used.group(1)) / 1024.0;
  }

  /** Names of gateway classes still loaded after a full GC: none once the WAR is undeployed. */
  List<String> loadedGatewayClasses() throws Exception {
    jcmd("GC.run");
    jcmd("GC.run");
    List<String> loaded = new ArrayList<>();
    for (String line : jcmd("VM.class_hierarchy").split("\n")) {
      if (line.contains("io.feathergate.")) {
        loaded.add(line.strip());
      }
    }
    return loaded;
  }

  /**
   * Threads the gateway starts (the HTTP/1.1 and HTTP/2 reactors, its timers) or that the libraries
   * in the WAR start for it (the Prometheus client's scheduler) still alive.
   */
  List<String> gatewayThreads() throws Exception {
    List<String> threads = new ArrayList<>();
    for (String line : jcmd("Thread.print").split("\n")) {
      if (line.startsWith("\"")
          && (line.contains("httpclient-")
              || line.contains("requester-")
              || line.contains("feathergate-")
              || line.contains("prometheus-"))) {
        threads.add(line.substring(0, line.indexOf('"', 1) + 1));
      }
    }
    return threads;
  }

  String jcmd(String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(
                Stream.concat(
                        Stream.of(jcmd.toString(), Long.toString(javaPid())),
                        Stream.of(command.split(" ")))
                    .toList())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    if (process == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    process.destroy();
    all.forEach(ProcessHandle::destroy);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    for (ProcessHandle child : all) {
      child.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  static void copyWar(Path target) throws IOException {
    Path staged = target.resolveSibling(target.getFileName() + ".tmp");
    Files.copy(WAR, staged, StandardCopyOption.REPLACE_EXISTING);
    // a rename is atomic: the container's scanner never sees half a WAR
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Makes {@code dir} exist and be empty: every run starts from the distribution as shipped. */
  static void emptyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.walk(dir)) {
      old.sorted(java.util.Comparator.reverseOrder())
          .filter(p -> !p.equals(dir))
          .forEach(p -> p.toFile().delete());
    }
  }

  static String replaceOnce(String text, String from, String to) {
    int at = text.indexOf(from);
    if (at < 0) {
      throw new AssertionError("not found in container config: " + from);
    }
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  static Optional<String> firstLineContaining(Path file, String... needles) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
      return lines.filter(l -> Stream.of(needles).anyMatch(l::contains)).findFirst();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
