package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a hostile client or a hostile upstream can make the gateway do: leak a key, steer the
 * upstream path, sneak credentials through, relay garbage, hide its rate limits.
 */
class HardeningE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MASTER_KEY = "sk-master-hardening-4f1c2a9b7e3d";
  static final String UPSTREAM_KEY = "sk-proj-configuredUpstreamKey0123456789abcdef";
  static final String GEMINI_KEY = "AIzaSyConfiguredGeminiKey0123456789abc";
  static final String CHUNK =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tick \"},\"finish_reason\":null}]}\n\n";
  static final Logger GATEWAY_LOG = Logger.getLogger("io.feathergate");

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static HttpClient http;
  static LogCapture log;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: leaky
                litellm_params:
                  model: openai/gpt-4o
                  api_base: %1$s
                  api_key: %2$s
                  stream_timeout: 5
                  timeout: 5
                model_info:
                  id: leaky-eu-1
              - model_name: "gemini/*"
                litellm_params:
                  model: "gemini/*"
                  api_base: %3$s
                  api_key: %4$s
            general_settings:
              master_key: %5$s
              live_feed_max_subscribers: 2
            """
                .formatted(
                    upstream.baseUrl(),
                    UPSTREAM_KEY,
                    upstream.baseUrl().replace("/v1", ""),
                    GEMINI_KEY,
                    MASTER_KEY));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // at the root: the container's and Jersey's records too, and the gateway's at every level
    log = LogCapture.on(Logger.getLogger(""));
    GATEWAY_LOG.setLevel(Level.ALL);
  }

  @AfterAll
  static void stop() throws Exception {
    log.close();
    GATEWAY_LOG.setLevel(null);
    gateway.close();
    upstream.close();
  }

  static HttpResponse<String> post(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + MASTER_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> chat(String model, boolean stream) throws Exception {
    return post(
        "{\"model\":"
            + JSON.writeValueAsString(model)
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
            + (stream ? ",\"stream\":true" : "")
            + "}");
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

  static String everythingLogged() {
    return log.all();
  }

  static void assertNoSecret(String text) {
    assertThat(text)
        .doesNotContain(UPSTREAM_KEY)
        .doesNotContain(UPSTREAM_KEY.substring(0, 20))
        .doesNotContain(GEMINI_KEY)
        .doesNotContain(MASTER_KEY);
  }

  // ---- keys echoed by upstreams ----

  static final String ECHOING_401 =
      """
      {"error":{"message":"Incorrect API key provided: %1$s. You passed header 'Bearer %1$s'. \
      Also seen: sk-proj-conf****cdef and %2$s","type":"invalid_request_error","param":null,\
      "code":"invalid_api_key"}}"""
          .formatted(UPSTREAM_KEY, GEMINI_KEY);

  @Test
  void anUpstreamThatEchoesTheKeyInAnErrorDoesNotLeakItStreamingOrNot() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(401, ECHOING_401));
    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<String> response = chat("leaky", stream);
      assertThat(response.statusCode()).isEqualTo(401);
      assertNoSecret(response.body());
      assertThat(response.body()).contains("Incorrect API key provided: [redacted]");
      response.headers().map().values().forEach(values -> assertNoSecret(values.toString()));
    }
    // a proxy's plain-text 400 that echoes the request headers
    upstream.respondWith(
        (request, reply) ->
            reply.whole(
                400,
                "text/plain",
                "Bad request. Headers: authorization: Bearer "
                    + UPSTREAM_KEY
                    + "; x-goog-api-key: "
                    + GEMINI_KEY));
    HttpResponse<String> plain = chat("leaky", false);
    assertThat(plain.statusCode()).isEqualTo(400);
    assertNoSecret(plain.body());
    assertNoSecret(everythingLogged());
  }

  @Test
  void anErrorEventInsideAStreamIsRedactedToo() throws Exception {
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(CHUNK);
          reply.chunk("data: " + ECHOING_401.replace("\n", "") + "\n\n");
          reply.endStream();
        });
    HttpResponse<String> response = chat("leaky", true);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("tick").contains("event: error\ndata: {\"error\"");
    assertThat(response.body()).doesNotContain("[DONE]");
    assertNoSecret(response.body());
    assertNoSecret(everythingLogged());
  }

  @Test
  void anAnswerThatCarriesTheDeploymentsKeyIsScrubbedToo() throws Exception {
    String echo =
        "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"your key is "
            + UPSTREAM_KEY
            + "\"},\"finish_reason\":\"stop\"}]}";
    upstream.respondWith((request, reply) -> reply.json(200, echo));
    HttpResponse<String> whole = chat("leaky", false);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertNoSecret(whole.body());
    assertThat(JSON.readTree(whole.body()).at("/choices/0/message/content").asText())
        .isEqualTo("your key is [redacted]");

    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(CHUNK.replace("tick ", UPSTREAM_KEY));
          reply.chunk("data: [DONE]\n\n");
          reply.endStream();
        });
    HttpResponse<String> stream = chat("leaky", true);
    assertThat(stream.statusCode()).isEqualTo(200);
    assertNoSecret(stream.body());
    assertThat(stream.body()).contains("[redacted]").endsWith("data: [DONE]\n\n");
  }

  // ---- model names that try to leave the upstream path ----

  @Test
  void aModelNameCannotSteerTheUpstreamPathOfAWildcardGroup() throws Exception {
    List<String> hostile =
        List.of(
            "../../v1/messages?x=",
            "%2e%2e/%2e%2e/v1/messages",
            "ok:generateContent?key=client",
            "ok#fragment",
            "ok@evil.example",
            "a/b",
            "models/../x",
            "",
            "has space",
            "ctl\u0001char",
            "q\"uote",
            "{braces}",
            "a|b",
            "back\\slash",
            "<angle>",
            "a^b",
            "a`b");
    int before = upstream.requestsReceived();
    for (String name : hostile) {
      HttpResponse<String> response = chat("gemini/" + name, false);
      assertThat(response.statusCode()).as("model %s", name).isEqualTo(400);
      JsonNode error = JSON.readTree(response.body()).get("error");
      assertThat(error.get("param").asText()).isEqualTo("model");
      assertThat(error.get("message").asText()).contains("Invalid model name");
    }
    assertThat(upstream.requestsReceived()).isEqualTo(before);
    assertThat(everythingLogged()).doesNotContain("at io.feathergate");

    upstream.respondWith((request, reply) -> reply.json(200, GEMINI_ANSWER));
    assertThat(chat("gemini/gemini-2.0-flash", false).statusCode()).isEqualTo(200);
    FakeUpstream.Received received = lastRequest();
    assertThat(received.path()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
    assertThat(chat("gemini/tunedModels/my-model-7", false).statusCode()).isEqualTo(200);
    assertThat(lastRequest().path()).isEqualTo("/v1beta/tunedModels/my-model-7:generateContent");
  }

  static final String GEMINI_ANSWER =
      """
      {"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP"}],
       "usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2}}""";

  static FakeUpstream.Received lastRequest() throws InterruptedException {
    FakeUpstream.Received last = upstream.takeRequest();
    while (upstream.requestsReceived() > 0) {
      last = upstream.takeRequest();
    }
    return last;
  }

  // ---- credentials that disagree ----

  @Test
  void repeatedOrConflictingCredentialHeadersAreRefused() throws Exception {
    String body = "{\"model\":\"nobody\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    List<String> refused =
        List.of(
            "Authorization: Bearer " + MASTER_KEY + "\r\nAuthorization: Bearer wrong\r\n",
            "Authorization: Bearer wrong\r\nAuthorization: Bearer " + MASTER_KEY + "\r\n",
            "x-api-key: " + MASTER_KEY + "\r\nx-api-key: wrong\r\n",
            "Authorization: Bearer " + MASTER_KEY + "\r\nx-api-key: wrong\r\n",
            "api-key: " + MASTER_KEY + "\r\nx-litellm-api-key: other\r\n");
    for (String headers : refused) {
      String answer = rawPost(headers, body);
      assertThat(answer).as(headers).startsWith("HTTP/1.1 401");
      assertThat(answer).contains("\"type\":\"auth_error\"");
    }
    // the same key in two headers is one credential: the request gets past authentication
    String same =
        rawPost(
            "Authorization: Bearer " + MASTER_KEY + "\r\nx-api-key: " + MASTER_KEY + "\r\n", body);
    assertThat(same).startsWith("HTTP/1.1 400").contains("Invalid model name passed");
  }

  static String rawPost(String headers, String body) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), gateway.port()), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\n"
                  + headers
                  + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      return readAll(socket.getInputStream());
    }
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        all.write(buffer, 0, read);
      }
    } catch (SocketTimeoutException e) {
      // what arrived is the answer
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  // ---- routing fields in the body ----

  @Test
  void clientSideCredentialsAndRoutingFieldsAreRefused() throws Exception {
    int before = upstream.requestsReceived();
    for (String field :
        List.of(
            "api_key",
            "api_base",
            "base_url",
            "user_config",
            "extra_headers",
            "custom_llm_provider")) {
      HttpResponse<String> response =
          post(
              "{\"model\":\"leaky\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\""
                  + field
                  + "\":\"http://127.0.0.1:1/steal\"}");
      assertThat(response.statusCode()).as(field).isEqualTo(400);
      JsonNode error = JSON.readTree(response.body()).get("error");
      assertThat(error.get("param").asText()).isEqualTo(field);
      assertThat(error.get("message").asText())
          .contains(field + " is not allowed in request body")
          .contains("allow_client_side_credentials");
    }
    assertThat(upstream.requestsReceived()).isEqualTo(before);
  }

  // ---- headers of the status page and every response ----

  @Test
  void theStatusPageCannotBeFramedAndNothingIsSniffed() throws Exception {
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
    assertThat(page.headers().firstValue("content-security-policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
    for (HttpResponse<String> response :
        List.of(
            page,
            get("/v1/models", MASTER_KEY),
            get("/v1/models", null),
            get("/metrics", null),
            get("/health/readiness", null),
            chat("nobody", false))) {
      assertThat(response.headers().firstValue("x-content-type-options"))
          .as(response.uri().toString())
          .hasValue("nosniff");
    }
  }

  @Test
  void thePublicReadinessProbeNamesNoFile() throws Exception {
    HttpResponse<String> readiness = get("/health/readiness", null);
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body())
        .contains("\"status\":\"healthy\"")
        .doesNotContain("feathergate-test-")
        .doesNotContain(".yaml")
        .doesNotContain("/tmp");
  }

  // ---- what an upstream sends that is not what it should ----

  @Test
  void streamDataThatIsNotJsonEndsTheStreamWithAnErrorAndNoDone() throws Exception {
    for (String bad : List.of("data: {this is not json}\n\n", "data: {\"id\":\"c\",\"choi\n\n")) {
      upstream.respondWith(
          (request, reply) -> {
            reply.startStream();
            reply.chunk(CHUNK);
            reply.chunk(bad);
            reply.chunk("data: [DONE]\n\n");
            reply.endStream();
          });
      HttpResponse<String> response = chat("leaky", true);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .as(bad)
          .contains("tick")
          .doesNotContain("this is not json")
          .doesNotContain("\"choi\n")
          .doesNotContain("[DONE]")
          .contains("event: error\ndata: {\"error\"")
          .contains("upstream_error");
    }
    upstream.respondWith((request, reply) -> reply.json(200, "{\"id\":\"x\",\"choices\":["));
    HttpResponse<String> whole = chat("leaky", false);
    assertThat(whole.statusCode()).isEqualTo(502);
    assertThat(whole.body()).contains("upstream_error");
  }

  @Test
  void dataSplitOverSeveralLinesCannotBreakTheClientsFraming() throws Exception {
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          // one event, its JSON over two data lines: joined with a line feed, as SSE says
          reply.chunk(
              "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":\n"
                  + "data: [{\"index\":0,\"delta\":{\"content\":\"split\"}}]}\n\n");
          reply.chunk("data: [DONE]\n\n");
          reply.endStream();
        });
    HttpResponse<String> response = chat("leaky", true);
    assertThat(response.statusCode()).isEqualTo(200);
    List<String> lines = response.body().lines().filter(line -> !line.isEmpty()).toList();
    assertThat(lines).allMatch(line -> line.startsWith("data: "));
    assertThat(JSON.readTree(lines.get(0).substring(6)).at("/choices/0/delta/content").asText())
        .isEqualTo("split");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("data: [DONE]");
  }

  @Test
  void anOversizedUpstreamHeaderIsNamedWithoutAJavaClassOrAnAddress() throws Exception {
    String huge = "x".repeat(1024 * 1024);
    upstream.respondWith(
        (request, reply) -> reply.whole(200, "application/json", "{}", Map.of("X-Huge", huge)));
    HttpResponse<String> response = chat("leaky", false);
    assertThat(response.statusCode()).isEqualTo(502);
    String message = JSON.readTree(response.body()).get("error").get("message").asText();
    assertThat(message)
        .contains("oversized header")
        .contains("leaky")
        .doesNotContain("Exception")
        .doesNotContain("127.0.0.1")
        .doesNotContain("connection to");
  }

  @Test
  void aFailureMidStreamNamesTheDeploymentNotTheUpstreamAddress() throws Exception {
    CountDownLatch clientHasChunk = chunkThenClose();
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + MASTER_KEY)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"leaky\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    String body;
    try (InputStream in = response.body()) {
      String first = readUntil(in, "tick", "the first chunk");
      clientHasChunk.countDown();
      body = first + new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String last = body.lines().filter(line -> line.startsWith("data: ")).reduce((a, b) -> b).get();
    String message = JSON.readTree(last.substring(6)).get("error").get("message").asText();
    assertThat(message)
        .contains("leaky")
        .contains("leaky-eu-1")
        .doesNotContain("127.0.0.1")
        .doesNotContain(":" + upstream.baseUrl().split(":")[2].replace("/v1", ""));
    assertThat(everythingLogged()).contains("127.0.0.1");
  }

  @Test
  void aFailureAfterTheStreamStartedIsAnErrorForLangChain4jAndOpenAiJava() throws Exception {
    CountDownLatch clientHasChunk = chunkThenClose();
    StreamingChatModel model =
        OpenAiStreamingChatModel.builder()
            .baseUrl(gateway.baseUrl() + "/v1")
            .apiKey(MASTER_KEY)
            .modelName("leaky")
            .timeout(Duration.ofSeconds(20))
            .build();
    CompletableFuture<String> outcome = new CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    model.chat(
        "hi",
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String text) {
            partial.append(text);
            clientHasChunk.countDown();
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            outcome.complete("completed normally with " + partial);
          }

          @Override
          public void onError(Throwable error) {
            outcome.complete("error: " + error.getMessage());
          }
        });
    assertThat(outcome.get(20, TimeUnit.SECONDS))
        .startsWith("error: ")
        .contains("closed the connection");
    assertThat(partial.toString()).isEqualTo("tick ");

    OpenAIClient openAi =
        OpenAIOkHttpClient.builder()
            .baseUrl(gateway.baseUrl() + "/v1")
            .apiKey(MASTER_KEY)
            .maxRetries(0)
            .build();
    StringBuilder text = new StringBuilder();
    CountDownLatch openAiHasChunk = chunkThenClose();
    assertThatThrownBy(
            () -> {
              try (StreamResponse<ChatCompletionChunk> stream =
                  openAi
                      .chat()
                      .completions()
                      .createStreaming(
                          ChatCompletionCreateParams.builder()
                              .model("leaky")
                              .addUserMessage("hi")
                              .build())) {
                stream.stream()
                    .forEach(
                        chunk ->
                            chunk
                                .choices()
                                .forEach(
                                    c -> {
                                      c.delta().content().ifPresent(text::append);
                                      openAiHasChunk.countDown();
                                    }));
              }
            })
        .hasMessageContaining("closed the connection");
    assertThat(text.toString()).isEqualTo("tick ");
  }

  /** One chunk, then, once the client has it (a close could overtake it), a closed connection. */
  static CountDownLatch chunkThenClose() {
    CountDownLatch clientHasChunk = new CountDownLatch(1);
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(CHUNK);
          clientHasChunk.await(10, TimeUnit.SECONDS);
          reply.close();
        });
    return clientHasChunk;
  }

  // ---- rate-limit headers ----

  @Test
  void theUpstreamsRateLimitHeadersReachTheClient() throws Exception {
    Map<String, String> limits =
        Map.of(
            "x-ratelimit-limit-requests", "500",
            "x-ratelimit-remaining-requests", "499",
            "x-ratelimit-reset-requests", "120ms",
            "x-ratelimit-remaining-tokens", "29000");
    upstream.respondWith(
        (request, reply) ->
            reply.whole(
                200,
                "application/json",
                "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}",
                limits));
    HttpResponse<String> whole = chat("leaky", false);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("499");
    assertThat(whole.headers().firstValue("x-ratelimit-reset-requests")).hasValue("120ms");
    assertThat(whole.headers().firstValue("llm_provider-x-ratelimit-remaining-tokens"))
        .hasValue("29000");

    upstream.respondWith(
        (request, reply) -> {
          reply.startStream(limits);
          reply.chunk(CHUNK);
          reply.chunk("data: [DONE]\n\n");
          reply.endStream();
        });
    HttpResponse<String> stream = chat("leaky", true);
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("x-ratelimit-limit-requests")).hasValue("500");

    upstream.respondWith(
        (request, reply) ->
            reply.whole(
                429,
                "application/json",
                "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}",
                Map.of("retry-after", "7", "x-ratelimit-remaining-requests", "0")));
    HttpResponse<String> limited = chat("leaky", false);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("retry-after")).hasValue("7");
    assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
  }

  // ---- the live feed ----

  @Test
  void aLiveFeedEventArrivesAtOnceNotWithTheNextOne() throws Exception {
    HttpResponse<InputStream> feed = openFeed();
    assertThat(feed.statusCode()).isEqualTo(200);
    try (InputStream events = feed.body()) {
      String id = "lone-" + System.nanoTime();
      CompletableFuture<String> seen =
          CompletableFuture.supplyAsync(() -> readUntil(events, "\"" + id + "\"", id));
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
                  .header("Authorization", "Bearer " + MASTER_KEY)
                  .header("x-request-id", id)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      // models requests are not in the feed; one chat request is, and nothing follows it
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                          .header("Authorization", "Bearer " + MASTER_KEY)
                          .header("x-request-id", id)
                          .POST(
                              HttpRequest.BodyPublishers.ofString(
                                  "{\"model\":\"nobody\",\"messages\":[{\"role\":\"user\","
                                      + "\"content\":\"hi\"}]}"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(400);
      // well before the feed's 15 s keep-alive could push it out
      assertThat(seen.get(8, TimeUnit.SECONDS)).contains("event: request");
    }
  }

  /**
   * On the wire, not only through a client that hands over chunk data early: an event is complete
   * once its blank line arrived, and nothing of it (a chunk's closing CRLF) waits for the next.
   */
  @Test
  void aLiveFeedEventIsWhollyOnTheWireBeforeTheNextOne() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), gateway.port()), 5000);
      socket.setSoTimeout(8_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /admin/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + MASTER_KEY
                  + "\r\nAccept: text/event-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readUntil(in, "live feed", "the feed's first comment");
      assertThat(head).doesNotContainIgnoringCase("transfer-encoding: chunked");
      String id = "wire-" + System.nanoTime();
      HttpResponse<String> refused =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                  .header("Authorization", "Bearer " + MASTER_KEY)
                  .header("x-request-id", id)
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(400);
      String event = readUntil(in, "\"" + id + "\"", id);
      assertThat(event).endsWith("\n\n");
    }
  }

  static HttpResponse<InputStream> openFeed() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/events"))
            .header("Authorization", "Bearer " + MASTER_KEY)
            .header("Accept", "text/event-stream")
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Reads the feed until an event with {@code text} is complete (its blank line arrived). */
  static String readUntil(InputStream events, String text, String label) {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    try {
      int read;
      while ((read = events.read(buffer)) >= 0) {
        seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        int at = seen.indexOf(text);
        if (at >= 0 && seen.indexOf("\n\n", at) >= 0) {
          return seen.substring(Math.max(0, seen.lastIndexOf("event:", at)));
        }
      }
    } catch (IOException e) {
      throw new AssertionError("feed closed before " + label, e);
    }
    throw new AssertionError("feed ended before " + label);
  }

  @Test
  void aSubscriberOverTheLimitGetsA503WithRetryAfter() throws Exception {
    List<HttpResponse<InputStream>> open = new ArrayList<>();
    try {
      // the limit is 2 in this config; another test's subscriber may still be leaving
      HttpResponse<InputStream> refused = null;
      for (int i = 0; i < 4 && refused == null; i++) {
        HttpResponse<InputStream> response = openFeed();
        if (response.statusCode() == 200) {
          open.add(response);
        } else {
          refused = response;
        }
      }
      assertThat(refused).isNotNull();
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("retry-after")).isPresent();
      assertThat(refused.headers().firstValue("content-type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
      String body = new String(refused.body().readAllBytes(), StandardCharsets.UTF_8);
      JsonNode error = JSON.readTree(body).get("error");
      assertThat(error.get("message").asText()).contains("2 subscribers");
      assertThat(everythingLogged()).doesNotContain("SEVERE");
    } finally {
      for (HttpResponse<InputStream> response : open) {
        response.body().close();
      }
    }
  }
}
