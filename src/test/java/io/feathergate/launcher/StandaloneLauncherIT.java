package io.feathergate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.feathergate.bench.FastUpstream;
import io.feathergate.e2e.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built WAR the way an operator does, {@code java -jar target/feathergate.war}, as a real
 * process: start-up, the gateway's routes, the command line, and shutdown on SIGTERM.
 */
class StandaloneLauncherIT {
  private static final Path WAR = Path.of(System.getProperty("feathergate.war"));
  private static final String VERSION = System.getProperty("feathergate.version");
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  /** A JVM killed by SIGTERM exits 128 + 15 once its shutdown hooks (Jetty's stop) have run. */
  private static final int EXIT_AFTER_SIGTERM = 143;

  private static final Duration START_LIMIT = Duration.ofSeconds(30);

  /** The server's 10 s grace plus JVM exit. */
  private static final Duration STOP_LIMIT = Duration.ofSeconds(15);

  /** --help, --version and command-line mistakes must not start Jetty. */
  private static final Duration INSTANT = Duration.ofSeconds(5);

  /** What a stream's answer starts with; a refusal starts otherwise. */
  private static final String STATUS_LINE_START = "HTTP/1.1 200";

  /**
   * More streams than 12 MB of direct memory (4 KB each) or 64 MB of heap can hold: reaching it
   * without a refusal fails the test rather than running on.
   */
  private static final int MAX_STREAMS_TO_SHORTAGE = 6_000;

  private static final String MOCK_CONFIG =
      """
      model_list:
        - model_name: demo
          litellm_params:
            model: openai/demo
            mock_response: "hello from the mock"
      """;

  private static final String SLOW_ANSWER =
      """
      {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "slow",
       "choices": [{"index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "slow but sure"}}],
       "usage": {"prompt_tokens": 1, "completion_tokens": 3, "total_tokens": 4}}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path tmp;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void privateTempDirectory() throws IOException {
    // the child's java.io.tmpdir: every test starts cold and nothing is left in /tmp
    tmp = Files.createDirectory(dir.resolve("tmp"));
  }

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process process : processes) {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void versionPrintsTheBuildVersionWithoutStartingTheServer() throws Exception {
    Launched launched = launch("--version");

    assertThat(launched.exitWithin(INSTANT)).as(launched.logs()).isZero();
    assertThat(launched.stdout()).isEqualTo("FeatherGate " + VERSION + System.lineSeparator());
    assertNothingUnpacked();
  }

  @Test
  void helpPrintsUsageWithoutStartingTheServer() throws Exception {
    Launched launched = launch("--help");

    assertThat(launched.exitWithin(INSTANT)).as(launched.logs()).isZero();
    assertThat(launched.stdout()).startsWith("Usage: java -jar feathergate.war").contains("--bind");
    assertNothingUnpacked();
  }

  @Test
  void anUnknownOptionIsAUsageError() throws Exception {
    Launched launched = launch("--frobnicate");

    assertThat(launched.exitWithin(INSTANT)).as(launched.logs()).isEqualTo(2);
    assertThat(launched.stderr()).contains("unknown option --frobnicate").contains("Usage:");
    assertThat(launched.stdout()).isEmpty();
    assertNothingUnpacked();
  }

  @Test
  void servesTheMockModelAndExitsOnSigterm() throws Exception {
    int port = freePort();
    Launched launched = launch("--bind", "127.0.0.1:" + port, "--config", config(MOCK_CONFIG));
    awaitLive(launched, port);

    assertThat(get(port, "/health/readiness").statusCode()).as(launched.logs()).isEqualTo(200);
    HttpResponse<String> chat = chat(port, "demo");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    assertThat(JSON.readTree(chat.body()).at("/choices/0/message/content").asText())
        .isEqualTo("hello from the mock");
    assertThat(launched.stderr()).contains("FeatherGate listening on http://127.0.0.1:" + port);
    // a burst of new clients waits in the system's accept queue instead of being reset (Linux
    // gives no listening socket more than net.core.somaxconn; Java's default would be 50)
    int systemMax =
        Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/somaxconn")).trim());
    assertThat(listenBacklog(port)).isGreaterThanOrEqualTo(Math.min(1024, systemMax));
    // access-log lines are written in batches, yet a lone request's line appears at once
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!launched.stderr().contains("INFO io.feathergate.access: {")
        && System.nanoTime() < deadline) {
      Thread.sleep(20); // poll interval
    }
    assertThat(launched.stderr())
        .contains("INFO io.feathergate.access: {")
        .contains("\"route\":\"/v1/chat/completions\"");
    // rejected by Jetty itself, before the gateway: still an OpenAI error body, not an HTML page
    HttpResponse<String> ambiguous = get(port, "/v1/models/..%2F..%2Fetc%2Fpasswd");
    assertThat(ambiguous.statusCode()).isEqualTo(400);
    assertThat(ambiguous.headers().firstValue("content-type").orElse(""))
        .startsWith("application/json");
    assertThat(JSON.readTree(ambiguous.body()).at("/error/code").asText()).isEqualTo("400");

    launched.process().destroy(); // SIGTERM
    assertThat(launched.exitWithin(STOP_LIMIT)).as(launched.logs()).isEqualTo(EXIT_AFTER_SIGTERM);
    assertRefused(port);
  }

  /** The listening socket's accept queue as the system sees it: {@code ss}'s Send-Q column. */
  private static int listenBacklog(int port) throws Exception {
    Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).start();
    String line = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(ss.waitFor()).isZero();
    // State Recv-Q Send-Q Local-Address:Port Peer-Address:Port
    return Integer.parseInt(line.split("\\s+")[2]);
  }

  @Test
  void everyErrorIsAnOpenAiErrorWithARequestIdAndNamesNoSoftware() throws Exception {
    int port = freePort();
    Launched launched = launch("--bind", "127.0.0.1:" + port, "--config", config(MOCK_CONFIG));
    awaitLive(launched, port);
    String host = "Host: 127.0.0.1\r\n";

    // rejected by Jetty while parsing, before any handler: the id is a new one
    RawHttp.Response version = raw(port, "GET /v1/models HTTP/9.9\r\n" + host + "\r\n");
    assertThat(assertOpenAiError(version, 505, "invalid_request_error").get("message").asText())
        .contains("HTTP/1.1");
    assertOpenAiError(
        raw(port, "GET /v1/models HTTP/1.1\r\n" + host + "X\u0001Y: z\r\n\r\n"),
        400,
        "invalid_request_error");
    assertOpenAiError(
        raw(
            port,
            "GET /v1/models HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
        431,
        "invalid_request_error");
    // the webapp's private directories, whatever the method
    for (String method : List.of("GET", "PUT", "DELETE")) {
      for (String path : List.of("/WEB-INF/web.xml", "/META-INF/MANIFEST.MF")) {
        assertOpenAiError(
            raw(port, method + " " + path + " HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n"),
            404,
            "invalid_request_error");
      }
    }
    RawHttp.Response metrics =
        raw(port, "PUT /metrics HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n");
    assertOpenAiError(metrics, 405, "invalid_request_error");
    assertThat(metrics.header("allow")).isEqualTo("GET, HEAD");
    // a chat request whose chunked body is broken
    RawHttp.Response framing =
        raw(
            port,
            "POST /v1/chat/completions HTTP/1.1\r\n"
                + host
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
    assertOpenAiError(framing, 400, "invalid_request_error");
    // and a success names no software either
    RawHttp.Response models = raw(port, "GET /v1/models HTTP/1.1\r\n" + host + "\r\n");
    assertThat(models.status()).isEqualTo(200);
    assertThat(models.header("server")).isNull();
  }

  private static RawHttp.Response raw(int port, String request) throws IOException {
    String closing = request.replaceFirst("\r\n", "\r\nConnection: close\r\n");
    return RawHttp.exchange(port, closing, false, Duration.ofSeconds(10));
  }

  /**
   * An OpenAI error body of this status and type whose request id is the {@code x-request-id}
   * header, in a response without a {@code Server} header or anything naming Jetty or Java.
   */
  private static JsonNode assertOpenAiError(RawHttp.Response response, int status, String type)
      throws IOException {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.header("content-type"))
        .as(response.toString())
        .startsWith("application/json");
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error).as(response.body()).isNotNull();
    assertThat(error.get("type").asText()).as(response.body()).isEqualTo(type);
    assertThat(error.get("code").asText()).isEqualTo(Integer.toString(status));
    assertThat(error.get("param").isNull()).isTrue();
    assertThat(response.header("x-request-id")).as(response.toString()).isNotBlank();
    assertThat(response.header("x-content-type-options"))
        .as(response.toString())
        .isEqualTo("nosniff");
    assertThat(error.get("request_id").asText()).isEqualTo(response.header("x-request-id"));
    assertThat(response.header("server")).isNull();
    assertThat(response.toString())
        .doesNotContainIgnoringCase("jetty")
        .doesNotContain("java.")
        .doesNotContain("Exception")
        .doesNotContain("<html");
    return error;
  }

  @Test
  void sigtermLetsAnInFlightRequestFinishAndRefusesNewConnections() throws Exception {
    CountDownLatch upstreamCalled = new CountDownLatch(1);
    HttpServer upstream = slowUpstream(upstreamCalled, Duration.ofMillis(1500));
    try {
      int port = freePort();
      String config =
          """
          model_list:
            - model_name: slow
              litellm_params:
                model: openai/slow
                api_base: http://127.0.0.1:%d/v1
                api_key: sk-test
          """
              .formatted(upstream.getAddress().getPort());
      Launched launched = launch("--bind", "127.0.0.1:" + port, "--config", config(config));
      awaitLive(launched, port);

      CompletableFuture<HttpResponse<String>> inFlight = chatAsync(port, "slow");
      assertThat(upstreamCalled.await(10, TimeUnit.SECONDS)).as(launched.logs()).isTrue();
      launched.process().destroy(); // SIGTERM while the upstream is still answering

      assertRefused(port);
      HttpResponse<String> response = inFlight.get(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("slow but sure");
      assertThat(launched.exitWithin(STOP_LIMIT)).as(launched.logs()).isEqualTo(EXIT_AFTER_SIGTERM);
    } finally {
      upstream.stop(0);
    }
  }

  @Test
  void aRestartReusesTheUnpackedServerAndWebapp() throws Exception {
    int port = freePort();
    Launched first = launch("--bind", "127.0.0.1:" + port);
    awaitLive(first, port);
    first.process().destroy();
    assertThat(first.exitWithin(STOP_LIMIT)).as(first.logs()).isEqualTo(EXIT_AFTER_SIGTERM);
    Path cache = onlyCache();
    Object jettyJar = inode(jettyServerJar(cache));
    Path webXmlPath = cache.resolve("webapp/WEB-INF/web.xml");
    Object webXml = inode(webXmlPath);
    FileTime webXmlWritten = Files.getLastModifiedTime(webXmlPath);

    Launched second = launch("--bind", "127.0.0.1:" + port);
    awaitLive(second, port);

    assertThat(onlyCache()).isEqualTo(cache);
    assertThat(inode(jettyServerJar(cache))).isEqualTo(jettyJar);
    // neither unpacked again nor rewritten in place
    assertThat(inode(webXmlPath)).isEqualTo(webXml);
    assertThat(Files.getLastModifiedTime(webXmlPath)).isEqualTo(webXmlWritten);
  }

  @Test
  void aBusyPortIsReportedInOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Launched launched = launch("--bind", "127.0.0.1:" + taken.getLocalPort());

      assertThat(launched.exitWithin(START_LIMIT)).as(launched.logs()).isEqualTo(1);
      assertThat(launched.stderr())
          .contains("FeatherGate cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("in use")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void checkStartsTheGatewayThenStopsAndExitsZero() throws Exception {
    Launched launched = launch("--check", "--config", config(MOCK_CONFIG));

    assertThat(launched.exitWithin(START_LIMIT)).as(launched.logs()).isZero();
    // on a free port, so that a check never collides with a gateway serving on 4000
    assertThat(launched.stderr())
        .contains("FeatherGate listening on http://127.0.0.1:")
        .doesNotContain("http://127.0.0.1:4000")
        .contains("check passed");
  }

  @Test
  void checkFailsWhenTheGatewayCannotStart() throws Exception {
    Launched launched = launch("--check", "--config", config("model_list: [unclosed"));

    assertThat(launched.exitWithin(START_LIMIT)).as(launched.logs()).isEqualTo(1);
    assertThat(launched.stderr())
        .contains("not valid YAML at line 1")
        .contains("check failed")
        .doesNotContain("passed");
  }

  /**
   * What the container image does at build time: a check run writes a class data archive of what a
   * start loads, and the next start maps it ({@code -Xshare:on} makes that start fail if it cannot)
   * and takes the gateway's own classes from it, although it unpacks the server and the webapp
   * elsewhere than the check did (as the image's build and its containers do).
   */
  @Test
  void aClassArchiveWrittenByACheckIsUsedByTheNextStart() throws Exception {
    Path archive = dir.resolve("feathergate.jsa");
    Path checkTmp = Files.createDirectory(dir.resolve("check-tmp"));
    Launched training =
        launchWith(
            List.of(
                "-Xmx256m", "-XX:ArchiveClassesAtExit=" + archive, "-Djava.io.tmpdir=" + checkTmp),
            "--check");
    assertThat(training.exitWithin(START_LIMIT)).as(training.logs()).isZero();
    assertThat(archive).isNotEmptyFile();

    int port = freePort();
    Path classLog = dir.resolve("classes.log");
    Launched launched =
        launchWith(
            List.of(
                "-Xmx256m",
                "-XX:SharedArchiveFile=" + archive,
                "-Xshare:on",
                "-Xlog:class+load=info:file=" + classLog),
            "--bind",
            "127.0.0.1:" + port,
            "--config",
            config(MOCK_CONFIG));
    awaitLive(launched, port);

    assertThat(chat(port, "demo").statusCode()).isEqualTo(200);
    assertThat(Files.readString(classLog))
        .contains("org.eclipse.jetty.server.Server source: shared objects file (top)")
        .contains("io.feathergate.boot.FeatherGateListener source: shared objects file (top)");
  }

  @Test
  void aMissingConfigFileIsAUsageError() throws Exception {
    Launched launched = launch("--config", dir.resolve("nope.yaml").toString());

    assertThat(launched.exitWithin(INSTANT)).as(launched.logs()).isEqualTo(2);
    assertThat(launched.stderr()).contains("cannot read config file").contains("nope.yaml");
    assertNothingUnpacked();
  }

  // --- process handling

  /**
   * Streams opened one after another until the JVM is short of memory: the next request is refused
   * with a 503 the client can act on (before anything breaks), and once the streams end the gateway
   * takes requests again. The JVM is given little memory so that a few thousand streams reach the
   * limit.
   */
  @Test
  void whileMemoryIsShortNewRequestsAreRefusedAndAfterwardsTakenAgain() throws Exception {
    try (FastUpstream upstream = new FastUpstream()) {
      int port = freePort();
      Launched launched =
          launchWith(
              List.of("-Xmx64m", "-XX:MaxDirectMemorySize=12m"),
              "--bind",
              "127.0.0.1:" + port,
              "--config",
              config(
                  """
                  model_list:
                    - model_name: hold
                      litellm_params:
                        model: openai/hold-s600x100
                        api_base: %s
                        http2: true
                  """
                      .formatted(upstream.baseUrl())));
      awaitLive(launched, port);
      List<Socket> streams = new ArrayList<>();
      RawHttp.Response refused = null;
      try {
        while (refused == null && streams.size() < MAX_STREAMS_TO_SHORTAGE) {
          Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
          socket.setSoTimeout(10_000);
          socket.getOutputStream().write(streamRequest().getBytes(StandardCharsets.US_ASCII));
          InputStream in = socket.getInputStream();
          byte[] status = in.readNBytes(STATUS_LINE_START.length());
          if (new String(status, StandardCharsets.US_ASCII).equals(STATUS_LINE_START)) {
            awaitFirstEvent(in);
            streams.add(socket);
          } else {
            refused = RawHttp.read(new SequenceInputStream(new ByteArrayInputStream(status), in));
            socket.close();
          }
        }
        assertThat(refused)
            .as("no refusal after %d streams%n%s", streams.size(), launched.logs())
            .isNotNull();
        JsonNode error = assertOpenAiError(refused, 503, "service_unavailable");
        assertThat(error.get("message").asText()).contains("short of memory");
        assertThat(refused.header("retry-after")).isEqualTo("1");
        assertThat(launched.stderr()).contains("Refusing new requests");
      } finally {
        for (Socket socket : streams) {
          socket.close();
        }
      }
      // the streams end as their clients leave: memory comes back and so does service
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      HttpResponse<String> after = chat(port, "hold");
      while (after.statusCode() == 503 && System.nanoTime() < deadline) {
        Thread.sleep(200); // poll interval
        after = chat(port, "hold");
      }
      assertThat(after.statusCode()).as(after.body() + launched.logs()).isEqualTo(200);
      assertThat(launched.stderr()).contains("taking new requests");
      assertThat(launched.process().isAlive()).isTrue();
    }
  }

  private static String streamRequest() {
    String body =
        "{\"model\":\"hold\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  /** Reads until the stream's first event has arrived, so that its response is under way. */
  private static void awaitFirstEvent(InputStream in) throws IOException {
    byte[] marker = "data:".getBytes(StandardCharsets.US_ASCII);
    int matched = 0;
    while (matched < marker.length) {
      int b = in.read();
      if (b < 0) {
        fail("the stream ended before its first event");
      }
      matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
    }
  }

  private record Launched(Process process, Path out, Path err) {
    int exitWithin(Duration limit) throws InterruptedException {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("still running after " + limit + "\n" + logs());
      }
      return process.exitValue();
    }

    String stdout() {
      return read(out);
    }

    String stderr() {
      return read(err);
    }

    String logs() {
      return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }

    private static String read(Path file) {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private Launched launch(String... args) throws IOException {
    return launchWith(List.of("-Xmx256m"), args);
  }

  private Launched launchWith(List<String> memoryFlags, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    // first, so that the test's own flags can override it
    command.add("-Djava.io.tmpdir=" + tmp);
    command.addAll(memoryFlags);
    command.add("-jar");
    command.add(WAR.toString());
    command.addAll(List.of(args));
    int n = processes.size();
    Path out = dir.resolve("out-" + n + ".log");
    Path err = dir.resolve("err-" + n + ".log");
    // files, not pipes: a chatty child can never block on a full pipe nobody reads
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    processes.add(process);
    return new Launched(process, out, err);
  }

  private void awaitLive(Launched launched, int port) throws Exception {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!launched.process().isAlive()) {
        fail(
            "exited with "
                + launched.process().exitValue()
                + " before it answered\n"
                + launched.logs());
      }
      try {
        if (get(port, "/health/liveness").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50); // poll interval
    }
    fail("no 200 from /health/liveness within " + START_LIMIT + "\n" + launched.logs());
  }

  private static void assertRefused(int port) throws InterruptedException {
    // the listener closes as the graceful stop begins; allow the signal a moment to arrive
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      } catch (ConnectException e) {
        return;
      } catch (IOException e) {
        // a timeout or reset: check again
      }
      Thread.sleep(20); // poll interval
    }
    fail("port " + port + " still accepts connections after SIGTERM");
  }

  private void assertNothingUnpacked() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).as("nothing unpacked into java.io.tmpdir").isEmpty();
    }
  }

  private Path onlyCache() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      List<Path> caches =
          files.filter(p -> p.getFileName().toString().startsWith("feathergate-")).toList();
      assertThat(caches).hasSize(1);
      return caches.get(0);
    }
  }

  private static Path jettyServerJar(Path cache) throws IOException {
    try (Stream<Path> jars = Files.list(cache.resolve("lib"))) {
      return jars.filter(p -> p.getFileName().toString().startsWith("jetty-server-"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static Object inode(Path file) throws IOException {
    return Files.readAttributes(file, "unix:ino").get("ino");
  }

  // --- HTTP

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> chat(int port, String model) throws Exception {
    return chatAsync(port, model).get(30, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> chatAsync(int port, String model) {
    String body =
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** An OpenAI-shaped upstream that takes {@code delay} to answer. */
  private static HttpServer slowUpstream(CountDownLatch called, Duration delay) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          called.countDown();
          try {
            Thread.sleep(delay.toMillis()); // the slow upstream being simulated
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] answer = SLOW_ANSWER.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
    return server;
  }

  private String config(String yaml) throws IOException {
    return Files.writeString(dir.resolve("config-" + processes.size() + ".yaml"), yaml).toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
