package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every container must do with the WAR, checked over HTTP: deploy, serve models and chat
 * (streams arriving chunk by chunk, not buffered), metrics, health, errors; then undeploy without
 * leaving threads or a pinned class loader behind, and deploy again. Deploy time and heap after GC
 * go to {@code target/containers/report.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ContainerChecks {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHUNK =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}\n\n";

  FakeUpstream upstream;
  ServletContainer container;
  final List<String> results = new ArrayList<>();
  long startToReadyMillis;
  long redeployMillis = -1;
  double heapMb = -1;

  abstract ServletContainer create(Path config) throws Exception;

  Duration startLimit() {
    return Duration.ofSeconds(90);
  }

  @BeforeAll
  void start() throws Exception {
    assumeFalse(
        Boolean.getBoolean("containers.skip"), "container tests skipped (-Dcontainers.skip)");
    upstream = new FakeUpstream();
    Path config = Files.createTempFile("feathergate-container-", ".yaml");
    Files.writeString(
        config,
        """
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o
              api_base: %s
              api_key: sk-container-test-key
          - model_name: demo
            litellm_params:
              model: openai/demo
              mock_response: "hello from the container"
        litellm_settings:
          callbacks: ["prometheus"]
        general_settings:
          master_key: %s
        """
            .formatted(upstream.baseUrl(), ServletContainer.MASTER_KEY));
    container = create(config);
    container.start();
    startToReadyMillis = container.awaitReady(startLimit());
  }

  @AfterAll
  void stop() throws Exception {
    if (container != null) {
      container.close();
      report();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  @Order(1)
  void listsTheModels() throws Exception {
    HttpResponse<String> response = container.get("/v1/models");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"gpt-4o\"").contains("\"demo\"");
    results.add("models");
  }

  @Test
  @Order(2)
  void answersAChatCompletionThroughTheUpstream() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, ChatCompletionsE2ETest.COMPLETION));
    HttpResponse<String> response =
        container.post("/v1/chat/completions", ChatCompletionsE2ETest.chatBody("gpt-4o", false));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).at("/choices/0/message/content").asText())
        .isEqualTo("Hello! How can I help?");
    results.add("chat");
  }

  @Test
  @Order(3)
  void streamsChunkByChunkWithoutBuffering() throws Exception {
    CountDownLatch clientGotFirst = new CountDownLatch(1);
    AtomicBoolean upstreamWaitedForClient = new AtomicBoolean();
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(CHUNK.formatted("one "));
          // the second chunk goes out only once the client holds the first: a container that
          // buffered the response would make this wait run out
          upstreamWaitedForClient.set(clientGotFirst.await(10, TimeUnit.SECONDS));
          reply.chunk(CHUNK.formatted("two"));
          reply.chunk("data: [DONE]\n\n");
          reply.endStream();
        });
    HttpRequest request =
        container
            .request("/v1/chat/completions")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    ChatCompletionsE2ETest.chatBody("gpt-4o", true)))
            .build();
    HttpResponse<InputStream> response =
        ServletContainer.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    try (InputStream in = response.body()) {
      String first =
          new String(in.readNBytes(CHUNK.formatted("one ").length()), StandardCharsets.UTF_8);
      assertThat(first).isEqualTo(CHUNK.formatted("one "));
      clientGotFirst.countDown();
      String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(rest).isEqualTo(CHUNK.formatted("two") + "data: [DONE]\n\n");
    }
    assertThat(upstreamWaitedForClient).isTrue();
    results.add("stream incremental");
  }

  @Test
  @Order(4)
  void servesMetrics() throws Exception {
    HttpResponse<String> response = container.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    // LiteLLM's request metrics are on, and the chats above were counted: the undeploy check
    // then runs with every metric the gateway can create
    assertThat(response.body())
        .contains("jvm_memory_used_bytes")
        .containsPattern(
            "(?m)^litellm_proxy_total_requests_metric_total\\{[^}]*requested_model=\"gpt-4o\""
                + "[^}]*status_code=\"200\"[^}]*} [1-9]")
        .contains("litellm_in_flight_requests")
        .doesNotContain("sk-container-test-key");
    results.add("metrics");
  }

  @Test
  @Order(5)
  void answersTheProbes() throws Exception {
    assertThat(container.get("/health/liveness").body()).isEqualTo("\"I'm alive!\"");
    HttpResponse<String> readiness = container.get("/health/readiness");
    assertThat(JSON.readTree(readiness.body()).get("status").asText()).isEqualTo("healthy");
    results.add("health");
  }

  @Test
  @Order(6)
  void answersBadInputWithAnOpenAiError() throws Exception {
    HttpResponse<String> response =
        container.post(
            "/v1/chat/completions", ChatCompletionsE2ETest.chatBody("no-such-model", false));
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("message").asText()).contains("model=no-such-model");
    HttpResponse<String> missing = container.get("/v1/no-such-route");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("error")).isNotNull();
    results.add("errors");
  }

  @Test
  @Order(7)
  void speaksAnthropicsMessagesApi() throws Exception {
    HttpResponse<String> response =
        container.post(
            "/v1/messages",
            "{\"model\":\"demo\",\"max_tokens\":64,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<ClientSide.Event> events = ClientSide.events(response.body());
    assertThat(events.get(0).name()).isEqualTo("message_start");
    assertThat(events.get(events.size() - 1).name()).isEqualTo("message_stop");
    StringBuilder text = new StringBuilder();
    events.forEach(e -> text.append(e.json().at("/delta/text").asText("")));
    assertThat(text.toString()).isEqualTo("hello from the container");
    HttpResponse<String> invalid =
        container.post("/v1/messages", "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\"}]}");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(invalid.body()).at("/error/type").asText())
        .isEqualTo("invalid_request_error");
    results.add("messages");
  }

  @Test
  @Order(7)
  void speaksTheResponsesApiAndReadsAResponseBack() throws Exception {
    HttpResponse<String> response =
        container.post("/v1/responses", "{\"model\":\"demo\",\"input\":\"hi\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    com.fasterxml.jackson.databind.JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.at("/output/0/content/0/text").asText())
        .isEqualTo("hello from the container");
    HttpResponse<String> read = container.get("/v1/responses/" + answer.path("id").asText());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(read.body())).isEqualTo(answer);
    results.add("responses");
  }

  @Test
  @Order(7)
  void sendsAnAudioUploadUpstreamFromItsSpool() throws Exception {
    byte[] audio = AudioE2ETest.wav(8_000, 0.25);
    upstream.forget();
    upstream.respondWith((request, reply) -> reply.json(200, "{\"text\":\"hi\"}"));
    String boundary = "container-boundary";
    java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
    form.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-4o\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    form.writeBytes(audio);
    form.writeBytes(
        ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));

    HttpResponse<String> response =
        // the shared client: a connection left idle by a client of its own would keep the
        // container's record of this request (and so the web application) until it times out
        ServletContainer.HTTP.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(container.baseUrl() + "/v1/audio/transcriptions"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + ServletContainer.MASTER_KEY)
                .timeout(Duration.ofSeconds(20))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(form.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("text").asText()).isEqualTo("hi");
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/audio/transcriptions");
    assertThat(AudioE2ETest.form(sent).files().get("file")).isEqualTo(audio);
    results.add("audio upload");
  }

  @Test
  @Order(7)
  void servesAVirtualKeyFromItsEmbeddedDatabase() throws Exception {
    HttpResponse<String> made = container.post("/key/generate", "{\"models\":[\"demo\"]}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    String key = JSON.readTree(made.body()).get("key").asText();
    HttpResponse<String> answer =
        ServletContainer.HTTP.send(
            HttpRequest.newBuilder(
                    java.net.URI.create(container.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("Connection", "close")
                .timeout(Duration.ofSeconds(20))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        ChatCompletionsE2ETest.chatBody("demo", false)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("x-litellm-key-spend")).isPresent();
    HttpResponse<String> logs =
        container.get("/spend/logs?api_key=" + JSON.readTree(made.body()).get("token").asText());
    assertThat(JSON.readTree(logs.body())).hasSize(1);
    // kept where the container said: its own pool by JNDI, else the embedded database
    PostgresServer pool = container.containerPool();
    Path embedded = container.embeddedDataDir().resolve("feathergate.mv.db");
    if (pool != null) {
      assertThat(pool.hasRows("fg_key")).isTrue();
      assertThat(embedded).doesNotExist();
      results.add("virtual key (container DataSource)");
    } else {
      assertThat(embedded).exists();
      results.add("virtual key (embedded H2)");
    }
  }

  @Test
  @Order(8)
  void measuresHeapAfterGc() throws Exception {
    heapMb = container.heapAfterGcMb();
    assertThat(heapMb).isPositive();
  }

  @Test
  @Order(9)
  void undeploysCleanlyAndDeploysAgain() throws Exception {
    container.undeploy();
    container.awaitStatus("/health/liveness", 404, Duration.ofSeconds(60));
    assertThat(container.gatewayThreads()).as("threads left after undeploy").isEmpty();
    List<String> stillLoaded =
        container.unloadsClassesPromptly() ? container.loadedGatewayClasses() : List.of();
    if (!stillLoaded.isEmpty()) {
      // keep what is needed to find the culprit: the threads and a heap dump
      Path dump =
          container.log.resolveSibling(container.log.getFileName() + ".after-undeploy.hprof");
      Files.deleteIfExists(dump);
      Files.writeString(
          container.log.resolveSibling(container.log.getFileName() + ".after-undeploy.threads"),
          container.jcmd("Thread.print"));
      container.jcmd("GC.heap_dump " + dump.toAbsolutePath());
    }
    assertThat(stillLoaded).as("gateway classes still loaded: a pinned class loader").isEmpty();
    assertThat(container.leakWarnings()).as("container leak warnings").isEmpty();
    results.add(
        container.unloadsClassesPromptly()
            ? "clean undeploy (classes unloaded)"
            : "clean undeploy (threads)");

    long redeployStart = System.nanoTime();
    container.deploy();
    container.awaitStatus("/health/readiness", 200, startLimit());
    redeployMillis = (System.nanoTime() - redeployStart) / 1_000_000;
    upstream.respondWith((request, reply) -> reply.json(200, ChatCompletionsE2ETest.COMPLETION));
    assertThat(
            container
                .post("/v1/chat/completions", ChatCompletionsE2ETest.chatBody("gpt-4o", false))
                .statusCode())
        .isEqualTo(200);
    results.add("redeploy");
  }

  /** One report per test run: the first container to finish starts it afresh. */
  private static final java.util.concurrent.atomic.AtomicBoolean REPORT_STARTED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private void report() throws Exception {
    Path report = Path.of(System.getProperty("containers.dir", "target/containers"), "report.md");
    if (REPORT_STARTED.compareAndSet(false, true) || !Files.exists(report)) {
      Files.writeString(
          report,
          "| container | version | start to ready | hot redeploy | heap after GC | checks passed |\n"
              + "|---|---|---|---|---|---|\n");
    }
    Files.writeString(
        report,
        String.format(
            Locale.ROOT,
            "| %s | %s | %d ms | %s | %s | %s |%n",
            container.displayName(),
            container.version(),
            startToReadyMillis,
            redeployMillis < 0 ? "-" : redeployMillis + " ms",
            heapMb < 0 ? "-" : String.format(Locale.ROOT, "%.1f MB", heapMb),
            String.join(", ", results)),
        StandardOpenOption.APPEND);
  }
}
