package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway end to end, as a LiteLLM user meets it: the official openai-java client talking to
 * FeatherGate in embedded Jetty, FeatherGate talking to a fake OpenAI-compatible upstream.
 */
class ChatCompletionsE2ETest {
  static final String MASTER_KEY = "sk-master-key-for-tests";
  static final String UPSTREAM_KEY = "sk-upstream-secret-value";
  static final ObjectMapper JSON = new ObjectMapper();

  static GatewayRig rig;
  static FakeUpstream upstream;
  static GatewayServer gateway;
  static OpenAIClient client;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    rig =
        GatewayRig.start(
            fake ->
                """
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o-2024-08-06
                      api_base: %1$s
                      api_key: %2$s
                      timeout: 5
                      temperature: 0.2
                    model_info:
                      id: gpt-4o-primary
                  - model_name: demo
                    litellm_params:
                      model: openai/demo
                      mock_response: "Hello from the mock model"
                  - model_name: needs-env
                    litellm_params:
                      model: openai/gpt-4o
                      api_base: %1$s
                      api_key: os.environ/FEATHERGATE_TEST_SURELY_UNSET_VARIABLE
                general_settings:
                  master_key: %3$s
                  max_request_size_mb: 1
                """
                    .formatted(fake.baseUrl(), UPSTREAM_KEY, MASTER_KEY),
            MASTER_KEY);
    upstream = rig.upstream;
    gateway = rig.gateway;
    client = rig.client;
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.forget();
  }

  static final String COMPLETION =
      """
      {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-2024-08-06",
       "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help?","refusal":null},
       "logprobs":null,"finish_reason":"stop"}],
       "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}}""";

  private static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
  }

  @Test
  void nonStreamingCompletionMapsTheModelAppliesDefaultsAndPassesUnknownFieldsThrough()
      throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, COMPLETION));

    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                params("gpt-4o")
                    .putAdditionalBodyProperty("custom_field", JsonValue.from(Map.of("keep", "me")))
                    .build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello! How can I help?");
    assertThat(completion.usage().get().totalTokens()).isEqualTo(29);
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.headers()).containsEntry("authorization", "Bearer " + UPSTREAM_KEY);
    JsonNode body = JSON.readTree(sent.body());
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.get("custom_field").get("keep").asText()).isEqualTo("me");
    assertThat(body.get("messages").get(0).get("content").asText()).isEqualTo("Say hello");
  }

  @Test
  void theClientsOwnValueBeatsTheDeploymentDefault() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, COMPLETION));
    client.chat().completions().create(params("gpt-4o").temperature(0.9).build());
    assertThat(JSON.readTree(upstream.takeRequest().body()).get("temperature").asDouble())
        .isEqualTo(0.9);
  }

  @Test
  void responseNamesTheDeploymentThatServedIt() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, COMPLETION));
    HttpResponse<String> response =
        post("/v1/chat/completions", chatBody("gpt-4o", false), MASTER_KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(response.headers().firstValue("x-litellm-model-id")).contains("gpt-4o-primary");
  }

  @Test
  void streamIsServerSentEventsEndingWithDone() throws Exception {
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(
              "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n");
          reply.chunk(": keep-alive comment\n\n");
          reply.chunk("data: [DONE]\n\n");
          reply.endStream();
        });
    HttpResponse<String> response =
        post("/v1/chat/completions", chatBody("gpt-4o", true), MASTER_KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(response.body())
        .isEqualTo(
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"
                + "data: [DONE]\n\n");
  }

  @Test
  void streamWithNoChunkAtAllIsStillAnEventStreamNamingItsDeployment() throws Exception {
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk("data: [DONE]\n\n");
          reply.endStream();
        });
    HttpResponse<String> response =
        post("/v1/chat/completions", chatBody("gpt-4o", true), MASTER_KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(response.headers().firstValue("x-litellm-model-group")).hasValue("gpt-4o");
    assertThat(response.body()).isEqualTo("data: [DONE]\n\n");
  }

  @Test
  void streamRequestAnsweredWithPlainJsonIsStillStreamed() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, COMPLETION));
    StringBuilder text = new StringBuilder();
    String finish = null;
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params("gpt-4o").build())) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          choice.delta().content().ifPresent(text::append);
          if (choice.finishReason().isPresent()) {
            finish = choice.finishReason().get().asString();
          }
        }
      }
    }
    assertThat(text.toString()).isEqualTo("Hello! How can I help?");
    assertThat(finish).isEqualTo("stop");
  }

  @Test
  void upstreamErrorThatIsNotJsonStillBecomesAnOpenAiError() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(503, "<html>Service Unavailable</html>"));
    HttpResponse<String> response =
        post("/v1/chat/completions", chatBody("gpt-4o", false), MASTER_KEY);
    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("message").asText()).contains("503");
    assertThat(error.has("type")).isTrue();
    assertThat(error.has("param")).isTrue();
    assertThat(error.has("code")).isTrue();
  }

  @Test
  void unknownModelIsA400NamingItAndPointingToTheModelList() {
    assertThatThrownBy(() -> client.chat().completions().create(params("no-such-model").build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.getMessage()).contains("model=no-such-model").contains("/v1/models"));
  }

  @Test
  void deploymentWithUnsetVariableFailsWithItsNameWhileOthersServe() throws Exception {
    HttpResponse<String> response =
        post("/v1/chat/completions", chatBody("needs-env", false), MASTER_KEY);
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("FEATHERGATE_TEST_SURELY_UNSET_VARIABLE");
    assertThat(client.chat().completions().create(params("demo").build()).choices()).hasSize(1);
  }

  @Test
  void mockModelAnswersWithoutAnyUpstream() {
    ChatCompletion completion = client.chat().completions().create(params("demo").build());
    assertThat(completion.choices().get(0).message().content())
        .contains("Hello from the mock model");
    assertThat(completion.model()).isEqualTo("demo");

    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params("demo").build())) {
      stream.stream()
          .forEach(
              chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("Hello from the mock model");
    assertThat(upstream.requestsReceived()).isZero();
  }

  @Test
  void modelsAreListedAndRetrievedInTheOpenAiShape() {
    List<String> ids =
        client.models().list().data().stream().map(Model::id).collect(Collectors.toList());
    assertThat(ids).containsExactly("gpt-4o", "demo", "needs-env");
    assertThat(client.models().retrieve("demo").id()).isEqualTo("demo");
    assertThatThrownBy(() -> client.models().retrieve("nope"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void modelsAlsoAnswerWithoutTheV1Prefix() throws Exception {
    HttpResponse<String> response = get("/models", MASTER_KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("object").asText()).isEqualTo("list");
  }

  @Test
  void chatCompletionsAlsoAnswerWithoutTheV1Prefix() throws Exception {
    HttpResponse<String> response = post("/chat/completions", chatBody("demo", false), MASTER_KEY);
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void everyProtectedRouteNeedsTheMasterKey() throws Exception {
    for (String key : new String[] {null, "", "sk-wrong", MASTER_KEY + "x"}) {
      HttpResponse<String> chat = post("/v1/chat/completions", chatBody("demo", false), key);
      assertThat(chat.statusCode()).as("key %s", key).isEqualTo(401);
      assertThat(JSON.readTree(chat.body()).get("error").get("type").asText())
          .isEqualTo("auth_error");
      assertThat(chat.body()).doesNotContain(MASTER_KEY);
      assertThat(get("/v1/models", key).statusCode()).isEqualTo(401);
    }
    UnauthorizedException rejected =
        org.junit.jupiter.api.Assertions.assertThrows(
            UnauthorizedException.class,
            () -> {
              OpenAIClient wrong =
                  OpenAIOkHttpClient.builder()
                      .baseUrl(gateway.baseUrl() + "/v1")
                      .apiKey("sk-nope")
                      .maxRetries(0)
                      .build();
              try {
                wrong.chat().completions().create(params("demo").build());
              } finally {
                wrong.close();
              }
            });
    assertThat(rejected.statusCode()).isEqualTo(401);
  }

  @Test
  void theKeyIsAcceptedFromTheHeadersOtherClientsUse() throws Exception {
    for (String header : new String[] {"x-api-key", "api-key", "x-litellm-api-key"}) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
              .header(header, MASTER_KEY)
              .GET()
              .build();
      assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
          .as(header)
          .isEqualTo(200);
    }
    HttpRequest lowerCaseBearer =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
            .header("Authorization", "bearer " + MASTER_KEY)
            .GET()
            .build();
    assertThat(http.send(lowerCaseBearer, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    HttpRequest notBearer =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
            .header("Authorization", "NotBearer " + MASTER_KEY)
            .GET()
            .build();
    assertThat(http.send(notBearer, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void probesArePublic() throws Exception {
    for (String path : new String[] {"/health/liveliness", "/health/liveness"}) {
      HttpResponse<String> response = get(path, null);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.body()).isEqualTo("\"I'm alive!\"");
    }
    HttpResponse<String> readiness = get("/health/readiness", null);
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(readiness.body()).get("status").asText()).isEqualTo("healthy");
  }

  @Test
  void metricsArePublicPrometheusText() throws Exception {
    HttpResponse<String> response = get("/metrics", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(response.body())
        .contains("jvm_memory_used_bytes")
        .doesNotContain(MASTER_KEY)
        .doesNotContain(UPSTREAM_KEY);
  }

  @Test
  void malformedJsonIsA400() throws Exception {
    HttpResponse<String> response =
        post("/v1/chat/completions", "{\"model\": \"demo\", ", MASTER_KEY);
    assertError(response, 400, "not valid JSON");
  }

  @Test
  void missingAndIllTypedFieldsAre400sNamingTheField() throws Exception {
    assertError(
        post(
            "/v1/chat/completions",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            MASTER_KEY),
        400,
        "'model'");
    assertError(
        post("/v1/chat/completions", "{\"model\":\"demo\"}", MASTER_KEY), 400, "'messages'");
    assertError(
        post("/v1/chat/completions", "{\"model\":\"demo\",\"messages\":[]}", MASTER_KEY),
        400,
        "messages");
    assertError(
        post("/v1/chat/completions", "{\"model\":\"demo\",\"messages\":\"hi\"}", MASTER_KEY),
        400,
        "'messages'");
    assertError(
        post(
            "/v1/chat/completions",
            "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            MASTER_KEY),
        400,
        "'model'");
    assertError(
        post(
            "/v1/chat/completions",
            "{\"model\":\"demo\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            MASTER_KEY),
        400,
        "'stream'");
    assertError(
        post(
            "/v1/chat/completions",
            "{\"model\":\"demo\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            MASTER_KEY),
        400,
        "'temperature'");
    assertError(post("/v1/chat/completions", "[1,2]", MASTER_KEY), 400, "JSON object");
    assertError(post("/v1/chat/completions", "", MASTER_KEY), 400, "empty");
  }

  @Test
  void oversizedBodyIsA413() throws Exception {
    String huge =
        "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "x".repeat(2 * 1024 * 1024)
            + "\"}]}";
    assertError(post("/v1/chat/completions", huge, MASTER_KEY), 413, "max_request_size_mb");
  }

  @Test
  void oversizedChunkedBodyIsA413Too() throws Exception {
    byte[] huge =
        ("{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(2 * 1024 * 1024)
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + MASTER_KEY)
            // no length known up front: sent chunked
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(huge)))
            .build();
    assertError(
        http.send(request, HttpResponse.BodyHandlers.ofString()), 413, "max_request_size_mb");
  }

  @Test
  void wrongMethodIsA405() throws Exception {
    HttpResponse<String> response = get("/v1/chat/completions", MASTER_KEY);
    assertError(response, 405, "GET");
    assertThat(response.headers().firstValue("allow")).contains("POST");
    assertError(post("/v1/models", "{}", MASTER_KEY), 405, "not allowed");
  }

  @Test
  void unknownRouteIsAJson404() throws Exception {
    assertError(get("/v1/nothing-here", MASTER_KEY), 404, "Not found");
  }

  static void assertError(HttpResponse<String> response, int status, String messagePart)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("application/json");
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error).as(response.body()).isNotNull();
    assertThat(error.get("message").asText()).contains(messagePart);
    assertThat(error.has("type") && error.has("param") && error.has("code")).isTrue();
    assertThat(response.body()).doesNotContain("at io.feathergate").doesNotContain("Exception:");
  }

  static String chatBody(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  static HttpResponse<String> post(String path, String body, String key) throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).GET();
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  static OpenAIServiceException serviceError(Throwable t) {
    return (OpenAIServiceException) t;
  }
}
