package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of the gateway: LiteLLM's metrics on {@code /metrics}, {@code /health},
 * {@code /model/info}, request ids, the access log, the live feed and the status page.
 */
class ObservabilityE2ETest {
  static final String MASTER_KEY = "sk-observability-master-key";
  static final String UPSTREAM_KEY = "sk-observability-upstream-secret";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String COMPLETION = ChatCompletionsE2ETest.COMPLETION;

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static HttpClient http;
  static LogCapture log;

  /** Held strongly: JUL keeps loggers only weakly, and a collected one loses its handler. */
  static final Logger GATEWAY_LOG = Logger.getLogger("io.feathergate");

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: exact
                litellm_params:
                  model: openai/exact-model
                  api_base: %1$s
                  api_key: %2$s
                  max_retries: 0
                  timeout: 5
                model_info:
                  id: exact-1
              - model_name: flaky
                litellm_params:
                  model: openai/flaky-model
                  api_base: %1$s
                  api_key: %2$s
                  max_retries: 0
                  timeout: 5
                model_info:
                  id: flaky-1
              - model_name: demo
                litellm_params:
                  model: openai/demo
                  mock_response: "Hello from the mock model"
                  api_key: %2$s
                model_info:
                  id: demo-mock
            litellm_settings:
              callbacks: ["prometheus"]
            general_settings:
              master_key: %3$s
            """
                .formatted(upstream.baseUrl(), UPSTREAM_KEY, MASTER_KEY));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    log = LogCapture.on(GATEWAY_LOG);
  }

  @AfterAll
  static void stop() throws Exception {
    log.close();
    gateway.close();
    upstream.close();
  }

  // ---- helpers ----

  static HttpResponse<String> chat(String model, boolean stream, String requestId)
      throws Exception {
    String body =
        "{\"model\":\""
            + model
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]"
            + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
            + "}";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + MASTER_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      request.header("x-request-id", requestId);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(20));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String metrics() throws Exception {
    HttpResponse<String> response = get("/metrics", null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The value of the one sample of {@code name} that has all of {@code labels}. */
  static double sample(String text, String name, String... labels) {
    List<String> matches =
        text.lines()
            .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
            .filter(line -> List.of(labels).stream().allMatch(line::contains))
            .collect(Collectors.toList());
    assertThat(matches).as("samples of %s with %s", name, List.of(labels)).hasSize(1);
    String line = matches.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /** Every LiteLLM series (name and labels, without the value). */
  static Set<String> litellmSeries(String text) {
    return text.lines()
        .filter(line -> line.startsWith("litellm_"))
        .map(line -> line.substring(0, line.lastIndexOf(' ')))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  // ---- metrics ----

  @Test
  void metricsCountAKnownSeriesOfRequestsExactlyWithLiteLlmNamesAndLabels() throws Exception {
    byte[] stream = Fixtures.read("openai/real_stream_text_include_usage.sse");
    upstream.respondWith((request, reply) -> reply.json(200, COMPLETION));
    assertThat(chat("exact", false, null).statusCode()).isEqualTo(200);
    assertThat(chat("exact", false, null).statusCode()).isEqualTo(200);
    upstream.respondWith(
        (request, reply) ->
            reply.json(
                429,
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                    + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}"));
    assertThat(chat("exact", false, null).statusCode()).isEqualTo(429);
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(stream);
          reply.endStream();
        });
    HttpResponse<String> streamed = chat("exact", true, null);
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.body()).contains("[DONE]");

    String text = metrics();
    String key = "hashed_api_key=\"" + sha256(MASTER_KEY) + "\"";
    String group = "requested_model=\"exact\"";
    String user = "user=\"default_user_id\"";
    String route = "route=\"/v1/chat/completions\"";
    assertThat(
            sample(
                text,
                "litellm_proxy_total_requests_metric_total",
                group,
                key,
                user,
                route,
                "status_code=\"200\"",
                "end_user=\"None\"",
                "team=\"None\"",
                "api_key_alias=\"None\""))
        .isEqualTo(3.0);
    assertThat(
            sample(text, "litellm_proxy_total_requests_metric_total", group, "status_code=\"429\""))
        .isEqualTo(1.0);
    assertThat(
            sample(
                text,
                "litellm_proxy_failed_requests_metric_total",
                group,
                key,
                user,
                route,
                "exception_status=\"429\"",
                "exception_class=\"Openai.RateLimitError\""))
        .isEqualTo(1.0);
    String model = "model=\"exact-model\"";
    assertThat(sample(text, "litellm_input_tokens_total", group, model)).isEqualTo(52.0);
    assertThat(sample(text, "litellm_output_tokens_total", group, model)).isEqualTo(50.0);
    assertThat(sample(text, "litellm_total_tokens_total", group, model)).isEqualTo(102.0);
    String deployment = "model_id=\"exact-1\"";
    String modelName = "litellm_model_name=\"openai/exact-model\"";
    String provider = "api_provider=\"openai\"";
    assertThat(
            sample(
                text,
                "litellm_deployment_success_responses_total",
                deployment,
                modelName,
                provider,
                group))
        .isEqualTo(3.0);
    assertThat(sample(text, "litellm_deployment_total_requests_total", deployment)).isEqualTo(4.0);
    assertThat(
            sample(
                text,
                "litellm_deployment_failure_responses_total",
                deployment,
                "exception_status=\"429\"",
                "exception_class=\"Openai.RateLimitError\""))
        .isEqualTo(1.0);
    assertThat(sample(text, "litellm_request_total_latency_metric_count", group, model))
        .isEqualTo(4.0);
    assertThat(sample(text, "litellm_llm_api_latency_metric_count", group, model)).isEqualTo(4.0);
    assertThat(
            sample(
                text, "litellm_request_total_latency_metric_bucket", group, model, "le=\"+Inf\""))
        .isEqualTo(4.0);
    assertThat(sample(text, "litellm_llm_api_time_to_first_token_metric_count", model))
        .isEqualTo(1.0);
    assertThat(sample(text, "litellm_overhead_latency_metric_count", "model_group=\"exact\""))
        .isEqualTo(4.0);
    assertThat(sample(text, "litellm_deployment_state", deployment)).isEqualTo(0.0);
    assertThat(sample(text, "litellm_in_flight_requests")).isEqualTo(0.0);
    // no router yet: the series exist at 0
    assertThat(sample(text, "litellm_deployment_cooled_down_total", deployment)).isEqualTo(0.0);
    assertThat(sample(text, "litellm_deployment_successful_fallbacks_total", group)).isEqualTo(0.0);
    assertThat(sample(text, "litellm_deployment_failed_fallbacks_total", group)).isEqualTo(0.0);
    assertThat(text).contains("le=\"0.00625\"").contains("le=\"300.0\"");
  }

  @Test
  void aThousandUnknownModelNamesCreateNoNewSeries() throws Exception {
    assertThat(chat("no-such-model-warm-up", false, null).statusCode()).isEqualTo(400);
    Set<String> before = litellmSeries(metrics());
    for (int i = 0; i < 1000; i++) {
      assertThat(chat("unknown-model-" + i, false, null).statusCode()).isEqualTo(400);
    }
    String after = metrics();
    assertThat(litellmSeries(after)).isEqualTo(before);
    assertThat(after).doesNotContain("unknown-model-");
    assertThat(
            sample(
                after,
                "litellm_proxy_failed_requests_metric_total",
                "requested_model=\"None\"",
                "exception_status=\"400\"",
                "exception_class=\"BadRequestError\""))
        .isGreaterThanOrEqualTo(1001.0);
  }

  // ---- health and model info ----

  @Test
  void healthReportsEachDeploymentFromWhatTheGatewaySaw() throws Exception {
    assertThat(get("/health", null).statusCode()).isEqualTo(401);
    upstream.respondWith(
        (request, reply) ->
            reply.json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
    for (int i = 0; i < 3; i++) {
      assertThat(chat("flaky", false, null).statusCode()).isEqualTo(503);
    }
    JsonNode health = JSON.readTree(get("/health", MASTER_KEY).body());
    List<String> unhealthy = new ArrayList<>();
    health.get("unhealthy_endpoints").forEach(e -> unhealthy.add(e.get("model_id").asText()));
    assertThat(unhealthy).contains("flaky-1");
    assertThat(health.get("unhealthy_count").asInt()).isEqualTo(unhealthy.size());
    assertThat(health.get("healthy_count").asInt())
        .isEqualTo(health.get("healthy_endpoints").size());
    JsonNode flaky = health.get("unhealthy_endpoints").get(unhealthy.indexOf("flaky-1"));
    assertThat(flaky.get("state").asText()).isEqualTo("outage");
    assertThat(flaky.get("last_error_status").asInt()).isEqualTo(503);
    assertThat(sample(metrics(), "litellm_deployment_state", "model_id=\"flaky-1\""))
        .isEqualTo(2.0);

    upstream.respondWith((request, reply) -> reply.json(200, COMPLETION));
    assertThat(chat("flaky", false, null).statusCode()).isEqualTo(200);
    health = JSON.readTree(get("/health", MASTER_KEY).body());
    assertThat(health.get("healthy_endpoints").toString()).contains("\"flaky-1\"");
    assertThat(sample(metrics(), "litellm_deployment_state", "model_id=\"flaky-1\""))
        .isEqualTo(0.0);

    HttpResponse<String> readiness = get("/health/readiness", null);
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).contains("\"prometheus\"");
  }

  @Test
  void modelInfoListsEveryDeploymentWithoutSecrets() throws Exception {
    for (String path : List.of("/model/info", "/v1/model/info")) {
      HttpResponse<String> response = get(path, MASTER_KEY);
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode data = JSON.readTree(response.body()).get("data");
      assertThat(data).hasSize(3);
      JsonNode exact = data.get(0);
      assertThat(exact.get("model_name").asText()).isEqualTo("exact");
      assertThat(exact.get("litellm_params").get("model").asText()).isEqualTo("openai/exact-model");
      assertThat(exact.get("litellm_params").has("api_key")).isFalse();
      assertThat(exact.get("model_info").get("id").asText()).isEqualTo("exact-1");
      assertThat(response.body()).doesNotContain(UPSTREAM_KEY).doesNotContain(MASTER_KEY);
    }
    assertThat(get("/model/info", null).statusCode()).isEqualTo(401);
  }

  // ---- request ids ----

  @Test
  void requestIdsComeBackOnEveryResponseGoUpstreamAndIntoErrors() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, COMPLETION));
    while (upstream.requestsReceived() > 0) {
      upstream.takeRequest();
    }
    HttpResponse<String> ok = chat("exact", false, "client-id-123");
    assertThat(ok.headers().firstValue("x-request-id")).contains("client-id-123");
    assertThat(upstream.takeRequest().headers()).containsEntry("x-request-id", "client-id-123");

    HttpResponse<String> made = chat("exact", false, "has a space");
    String madeId = made.headers().firstValue("x-request-id").orElseThrow();
    assertThat(madeId).matches("[0-9a-f]{32}");
    assertThat(upstream.takeRequest().headers()).containsEntry("x-request-id", madeId);
    assertThat(chat("exact", false, "x".repeat(200)).headers().firstValue("x-request-id"))
        .hasValueSatisfying(id -> assertThat(id).hasSize(32));

    HttpResponse<String> unknown = chat("who-knows", false, "bad-model-id");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.headers().firstValue("x-request-id")).contains("bad-model-id");
    assertThat(JSON.readTree(unknown.body()).get("error").get("request_id").asText())
        .isEqualTo("bad-model-id");

    HttpResponse<String> unauthorized = get("/v1/models", "sk-wrong");
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    String unauthorizedId = unauthorized.headers().firstValue("x-request-id").orElseThrow();
    assertThat(JSON.readTree(unauthorized.body()).get("error").get("request_id").asText())
        .isEqualTo(unauthorizedId);

    HttpResponse<String> notFound = get("/no/such/route", MASTER_KEY);
    assertThat(notFound.statusCode()).isEqualTo(404);
    String notFoundId = notFound.headers().firstValue("x-request-id").orElseThrow();
    assertThat(JSON.readTree(notFound.body()).get("error").get("request_id").asText())
        .isEqualTo(notFoundId);
    assertThat(get("/health/liveness", null).headers().firstValue("x-request-id")).isPresent();
  }

  // ---- access log, live feed, secrets ----

  @Test
  void theAccessLogHasOneJsonLinePerRequestAndNoSecretLeaksAnywhere() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, COMPLETION));
    try (FeedReader feed = FeedReader.open()) {
      assertThat(chat("exact", false, "access-log-1").statusCode()).isEqualTo(200);
      String event = feed.awaitEventContaining("access-log-1");
      JsonNode record = JSON.readTree(event);
      assertThat(record.get("model_group").asText()).isEqualTo("exact");
      assertThat(record.get("deployment_id").asText()).isEqualTo("exact-1");
      assertThat(record.get("status").asInt()).isEqualTo(200);
      assertThat(record.get("total_tokens").asInt()).isEqualTo(29);
      assertThat(record.get("stream").asBoolean()).isFalse();
      assertThat(record.get("client").asText()).isEqualTo("127.0.0.1");
      // the caller travels with the request: the master key by its hash and LiteLLM's user
      assertThat(record.get("key_hash").asText()).isEqualTo(sha256(MASTER_KEY));
      assertThat(record.get("user").asText()).isEqualTo("default_user_id");

      String line =
          log.lines().stream()
              .filter(
                  l -> l.startsWith("INFO io.feathergate.access ") && l.contains("access-log-1"))
              .findFirst()
              .orElseThrow();
      JsonNode logged = JSON.readTree(line.substring("INFO io.feathergate.access ".length()));
      assertThat(logged.get("latency_ms").asDouble()).isPositive();
      assertThat(logged.get("upstream_latency_ms").asDouble()).isPositive();
      assertThat(logged.get("route").asText()).isEqualTo("/v1/chat/completions");
      assertThat(line).doesNotContain("Say hello");

      String everything =
          log.all()
              + metrics()
              + get("/model/info", MASTER_KEY).body()
              + get("/health", MASTER_KEY).body()
              + feed.everything();
      assertThat(everything).doesNotContain(MASTER_KEY).doesNotContain(UPSTREAM_KEY);
    }
  }

  static int feedSubscribers() throws Exception {
    return JSON.readTree(get("/health", MASTER_KEY).body()).get("live_feed_subscribers").asInt();
  }

  @Test
  void aStalledFeedSubscriberIsDroppedWithoutHoldingUpRequests() throws Exception {
    // kernel socket buffers (megabytes on loopback) absorb events before the feed's own buffer
    // fills, so requests go on until the stalled subscriber is dropped, up to a bound
    int maxRequests = 60_000;
    try (Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(
          new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), gateway.port()), 5000);
      OutputStream out = stalled.getOutputStream();
      out.write(
          ("GET /admin/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + MASTER_KEY
                  + "\r\nAccept: text/event-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      try (FeedReader live = FeedReader.open()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (feedSubscribers() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(20); // polling a condition with a deadline: no event to wait on
        }
        assertThat(feedSubscribers()).isEqualTo(2);
        int sent = 0;
        while (feedSubscribers() > 1 && sent < maxRequests) {
          for (int i = 0; i < 500; i++, sent++) {
            // every request completes while the stalled client reads nothing
            assertThat(chat("demo", false, stallId(sent)).statusCode()).isEqualTo(200);
          }
        }
        assertThat(feedSubscribers()).as("subscribers after %d requests", sent).isEqualTo(1);
        live.awaitEventContaining("\"" + stallId(sent - 1) + "\"");

        // once it reads again it finds the stream closed, well short of every event
        String received = readUntilClosed(stalled, Duration.ofSeconds(30));
        long events = received.lines().filter(l -> l.startsWith("event: request")).count();
        assertThat(events).isLessThan(sent);
        assertThat(received).startsWith("HTTP/1.1 200");
      }
    }
  }

  /** Long ids make each event bigger, so fewer requests fill the socket buffers. */
  static String stallId(int n) {
    String suffix = "-" + n;
    // 128 characters: the longest request id the gateway accepts
    return "stall" + "x".repeat(128 - 5 - suffix.length()) + suffix;
  }

  static String readUntilClosed(Socket socket, Duration limit) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    socket.setSoTimeout(1000);
    InputStream in = socket.getInputStream();
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    while (System.nanoTime() < deadline) {
      try {
        int read = in.read(buffer);
        if (read < 0) {
          return all.toString(StandardCharsets.UTF_8);
        }
        all.write(buffer, 0, read);
      } catch (SocketTimeoutException e) {
        // nothing yet; the deadline bounds the wait
      }
    }
    throw new AssertionError("the stalled subscriber was not disconnected within " + limit);
  }

  // ---- status page ----

  @Test
  void theStatusPageShowsModelsHealthAndRecentRequestsInARealBrowser() throws Exception {
    String chromium = findOnPath("chromium");
    assumeTrue(
        chromium != null,
        "chromium is not installed: skipping the status page test (CI installs it)");
    upstream.respondWith((request, reply) -> reply.json(200, COMPLETION));
    assertThat(chat("exact", false, "page-request-1").statusCode()).isEqualTo(200);
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));

    Path profile = Files.createTempDirectory("feathergate-chromium-");
    Process browser =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000",
                "--dump-dom",
                gateway.baseUrl() + "/#key=" + MASTER_KEY)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] dom;
    try (InputStream in = browser.getInputStream()) {
      if (!browser.waitFor(90, TimeUnit.SECONDS)) {
        browser.destroyForcibly();
        throw new AssertionError("chromium did not finish within 90 s");
      }
      dom = in.readAllBytes();
    } finally {
      browser.destroyForcibly();
    }
    String html = new String(dom, StandardCharsets.UTF_8);
    assertThat(html).contains("<td>exact</td>").contains("<td>demo</td>");
    assertThat(html).contains("<td>exact-1</td>");
    assertThat(html).containsPattern("class=\"state (healthy|outage|partial_outage)\"");
    assertThat(html).contains("page-request-1");
    assertThat(html).contains("request-row");
  }

  static String findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir :
        java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(java.io.File.pathSeparator))
            .split(path)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** A subscriber of the live feed reading on its own thread. */
  static final class FeedReader implements AutoCloseable {
    private final InputStream body;
    private final BlockingQueue<String> data = new LinkedBlockingQueue<>();
    private final StringBuilder all = new StringBuilder();
    private final Thread thread;

    private FeedReader(InputStream body) {
      this.body = body;
      this.thread = new Thread(this::read, "feed-reader");
      thread.setDaemon(true);
      thread.start();
    }

    static FeedReader open() throws Exception {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/events"))
                  .header("Authorization", "Bearer " + MASTER_KEY)
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
      return new FeedReader(response.body());
    }

    private void read() {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (all) {
            all.append(line).append('\n');
          }
          if (line.startsWith("data:")) {
            data.add(line.substring(5).strip());
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    String awaitEventContaining(String text) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        String event = data.poll(1, TimeUnit.SECONDS);
        if (event != null && event.contains(text)) {
          return event;
        }
      }
      throw new AssertionError("no live feed event with " + text + " within 30 s");
    }

    String everything() {
      synchronized (all) {
        return all.toString();
      }
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }
}
