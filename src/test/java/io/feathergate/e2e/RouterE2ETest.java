package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router over real HTTP: a group that keeps answering while one deployment refuses connections
 * and another is rate limited, the group-wide 429, context-window fallbacks, and no retry once a
 * stream has begun.
 */
class RouterE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String COMPLETION =
      "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";
  static final String CHUNK =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n";
  static final String LAST_CHUNK =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
          + "data: [DONE]\n\n";
  static final String RATE_LIMITED =
      "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\","
          + "\"code\":\"rate_limit_exceeded\"}}";
  static final String TOO_LONG =
      "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However,"
          + " your messages resulted in 9000 tokens.\",\"type\":\"invalid_request_error\","
          + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static HttpClient http;
  static final AtomicInteger midstreamCalls = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    upstream.respondWith(RouterE2ETest::answer);
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    String origin = upstream.origin();
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: trio
                litellm_params: {model: openai/gpt-4o, api_base: %1$s/healthy/v1, api_key: sk-a}
                model_info: {id: healthy}
              - model_name: trio
                litellm_params: {model: openai/gpt-4o, api_base: http://127.0.0.1:%2$d/v1, api_key: sk-b}
                model_info: {id: refusing}
              - model_name: trio
                litellm_params: {model: openai/gpt-4o, api_base: %1$s/limited/v1, api_key: sk-c}
                model_info: {id: limited}
              - model_name: pair
                litellm_params: {model: openai/gpt-4o, api_base: %1$s/limited/v1, api_key: sk-d}
                model_info: {id: pair-1}
              - model_name: pair
                litellm_params: {model: openai/gpt-4o, api_base: %1$s/limited/v1, api_key: sk-e}
                model_info: {id: pair-2}
              - model_name: small
                litellm_params: {model: openai/gpt-4o, api_base: %1$s/small/v1, api_key: sk-f}
              - model_name: big
                litellm_params: {model: openai/gpt-4o, api_base: %1$s/healthy/v1, api_key: sk-g}
              - model_name: midstream
                litellm_params: {model: openai/gpt-4o, api_base: %1$s/midstream/v1, api_key: sk-h}
              - model_name: midstream
                litellm_params: {model: openai/gpt-4o, api_base: %1$s/midstream/v1, api_key: sk-i}
            router_settings:
              num_retries: 2
              cooldown_time: 60
              context_window_fallbacks: [{small: [big]}]
              model_group_alias: {gpt-4: big, internal: {model: big, hidden: true}}
            litellm_settings:
              callbacks: ["prometheus"]
            """
                .formatted(origin, closedPort));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  /** Each upstream path behaves as its name says. */
  static void answer(FakeUpstream.Received request, FakeUpstream.Reply reply)
      throws java.io.IOException, InterruptedException {
    boolean stream = request.body().contains("\"stream\":true");
    if (request.path().startsWith("/limited/")) {
      reply.whole(429, "application/json", RATE_LIMITED, Map.of("retry-after", "1"));
    } else if (request.path().startsWith("/small/")) {
      reply.json(400, TOO_LONG);
    } else if (request.path().startsWith("/midstream/")) {
      midstreamCalls.incrementAndGet();
      reply.startStream();
      reply.chunk(CHUNK);
      Thread.sleep(100);
      reply.reset();
    } else if (stream) {
      reply.startStream();
      reply.chunk(CHUNK);
      reply.chunk(LAST_CHUNK);
      reply.endStream();
    } else {
      reply.json(200, COMPLETION);
    }
  }

  static HttpResponse<String> post(String model, boolean stream) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(ChatCompletionsE2ETest.chatBody(model, stream)))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static String get(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aGroupOfThreeServesEveryRequestWhileOneRefusesAndOneIsRateLimited() throws Exception {
    int requests = 500;
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < requests; i++) {
        boolean stream = i % 2 == 1;
        answers.add(clients.submit(() -> post("trio", stream)));
      }
      List<String> failures = new ArrayList<>();
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
        if (response.statusCode() != 200 || response.body().contains("\"error\"")) {
          failures.add(response.statusCode() + " " + response.body());
        } else {
          assertThat(response.headers().firstValue("x-litellm-model-id")).hasValue("healthy");
        }
      }
      assertThat(failures).isEmpty();
    } finally {
      clients.shutdownNow();
    }
    // the dead deployment sits out its cooldown, visibly
    JsonNode health = JSON.readTree(get("/health"));
    List<String> cooling = new ArrayList<>();
    for (JsonNode endpoint : health.get("unhealthy_endpoints")) {
      if (endpoint.has("cooldown_until")) {
        cooling.add(endpoint.get("model_id").asText());
      }
    }
    assertThat(cooling).contains("refusing", "limited");
    String metrics = get("/metrics");
    assertThat(metrics)
        .containsPattern(
            "litellm_deployment_cooled_down_total\\{[^}]*model_id=\"refusing\"[^}]*\\} [1-9]");
    assertThat(metrics)
        .containsPattern("litellm_deployment_state\\{[^}]*model_id=\"refusing\"[^}]*\\} 2");
  }

  @Test
  void aGroupWhoseDeploymentsAllCoolIsRefusedWithLiteLlmsMessage() throws Exception {
    HttpResponse<String> first = post("pair", false);
    // both were tried and both are now cooling: the upstream's own 429 is the answer
    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.body()).contains("Rate limit reached");
    assertThat(first.headers().firstValue("x-litellm-attempted-retries")).hasValue("1");
    HttpResponse<String> next = post("pair", true);
    assertThat(next.statusCode()).isEqualTo(429);
    JsonNode error = JSON.readTree(next.body()).get("error");
    assertThat(error.get("message").asText())
        .matches(
            "No deployments available for selected model, Try again in [0-9]+ seconds\\."
                + " Passed model=pair");
    assertThat(next.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void aPromptTooLongIsAnsweredByTheContextWindowFallback() throws Exception {
    HttpResponse<String> response = post("small", false);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-litellm-model-group")).hasValue("big");
    assertThat(response.headers().firstValue("x-litellm-attempted-fallbacks")).hasValue("1");
    assertThat(response.headers().firstValue("x-litellm-response-duration-ms")).isPresent();
    assertThat(response.headers().firstValue("x-litellm-overhead-duration-ms")).isPresent();
    assertThat(get("/metrics"))
        .containsPattern(
            "litellm_deployment_successful_fallbacks_total\\{[^}]*fallback_model=\"big\""
                + "[^}]*requested_model=\"small\"[^}]*\\} 1");
  }

  @Test
  void theOpenAiSdkSeesNeitherTheDeadDeploymentNorTheRetriesAndRaisesAMidStreamFailure() {
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(gateway.baseUrl() + "/v1")
            .apiKey("unused")
            .maxRetries(0)
            .build();
    try {
      ChatCompletionCreateParams trio =
          ChatCompletionCreateParams.builder().model("trio").addUserMessage("x").build();
      for (int i = 0; i < 10; i++) {
        assertThat(client.chat().completions().create(trio).choices().get(0).message().content())
            .hasValue("hi");
        List<String> pieces = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
            client.chat().completions().createStreaming(trio)) {
          stream.stream()
              .forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(pieces::add)));
        }
        assertThat(pieces).containsExactly("hi");
      }
      List<String> pieces = new ArrayList<>();
      assertThatThrownBy(
              () -> {
                try (StreamResponse<ChatCompletionChunk> stream =
                    client
                        .chat()
                        .completions()
                        .createStreaming(
                            ChatCompletionCreateParams.builder()
                                .model("midstream")
                                .addUserMessage("x")
                                .build())) {
                  stream.stream()
                      .forEach(
                          c ->
                              c.choices()
                                  .forEach(ch -> ch.delta().content().ifPresent(pieces::add)));
                }
              })
          .isInstanceOf(SseException.class);
      assertThat(pieces).containsExactly("hi");
    } finally {
      client.close();
    }
  }

  @Test
  void anAliasServesItsGroupAndOnlyVisibleAliasesAreListed() throws Exception {
    for (String alias : List.of("gpt-4", "internal")) {
      HttpResponse<String> response = post(alias, false);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-litellm-model-group")).hasValue("big");
    }
    List<String> listed = new ArrayList<>();
    JSON.readTree(get("/v1/models")).get("data").forEach(m -> listed.add(m.get("id").asText()));
    assertThat(listed).contains("big", "gpt-4").doesNotContain("internal");
  }

  @Test
  void aStreamThatFailsAfterItsFirstChunkEndsWithAnErrorEventAndIsNotRetried() throws Exception {
    midstreamCalls.set(0);
    HttpResponse<String> response = post("midstream", true);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith(CHUNK);
    assertThat(response.body()).contains("event: error").doesNotContain("[DONE]");
    assertThat(midstreamCalls.get()).isEqualTo(1);
  }
}
