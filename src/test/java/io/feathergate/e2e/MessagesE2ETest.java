package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.e2e.ClientSide.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /v1/messages} as Claude Code and Anthropic's SDKs use it: the body of an {@code
 * anthropic/} group goes through untouched but for {@code model}, recorded Anthropic streams come
 * back event for event however the upstream's bytes are split, token counts are forwarded or
 * estimated, and what only Anthropic's API has is refused, not dropped, for another provider.
 */
class MessagesE2ETest {
  static final String MASTER_KEY = "sk-messages-master";
  static final String ANTHROPIC_KEY = "sk-ant-messages-upstream";

  static FakeUpstream anthropic;
  static FakeUpstream openai;
  static GatewayServer gateway;
  static HttpClient http;
  static volatile byte[] recording;

  @BeforeAll
  static void start() throws Exception {
    anthropic = new FakeUpstream();
    openai = new FakeUpstream();
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_base: %1$s
                  api_key: %2$s
                  max_retries: 0
              - model_name: gpt
                litellm_params:
                  model: openai/gpt-4o
                  api_base: %3$s
                  api_key: sk-openai-upstream
                  max_retries: 0
            general_settings:
              master_key: %4$s
            litellm_settings:
              callbacks: ["prometheus"]
            """
                .formatted(anthropic.origin(), ANTHROPIC_KEY, openai.baseUrl(), MASTER_KEY));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    anthropic.close();
    openai.close();
  }

  @BeforeEach
  void forget() {
    anthropic.forget();
    openai.forget();
  }

  static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    return ClientSide.postTo(gateway, path, body, headers);
  }

  /** A request as Claude Code sends it: cached system blocks, many tools, thinking, history. */
  static ObjectNode claudeCodeRequest(boolean stream) {
    ObjectNode body = ClientSide.JSON.createObjectNode();
    body.put("model", "claude");
    body.put("max_tokens", 32000);
    body.put("stream", stream);
    ArrayNode system = body.putArray("system");
    system
        .addObject()
        .put("type", "text")
        .put("text", "You are Claude Code, Anthropic's official CLI for Claude.")
        .putObject("cache_control")
        .put("type", "ephemeral");
    system
        .addObject()
        .put("type", "text")
        .put("text", "Follow the repository's conventions.\n".repeat(50))
        .putObject("cache_control")
        .put("type", "ephemeral")
        .put("ttl", "1h");
    ArrayNode tools = body.putArray("tools");
    for (int i = 0; i < 32; i++) {
      ObjectNode tool = tools.addObject();
      tool.put("name", i == 0 ? "mcp__github__" + "x".repeat(80) : "Tool" + i);
      tool.put("description", "Tool number " + i);
      ObjectNode schema = tool.putObject("input_schema").put("type", "object");
      schema.putObject("properties").putObject("path").put("type", "string");
      schema.put("additionalProperties", false);
      schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    }
    ((ObjectNode) tools.get(31)).putObject("cache_control").put("type", "ephemeral");
    body.putObject("thinking").put("type", "enabled").put("budget_tokens", 10000);
    body.putObject("metadata").put("user_id", "user_abc_account_123_session_456");
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "user").put("content", "List the files.");
    ObjectNode assistant = messages.addObject().put("role", "assistant");
    ArrayNode said = assistant.putArray("content");
    said.addObject()
        .put("type", "thinking")
        .put("thinking", "I should list them.")
        .put("signature", "EqQBCkYIBxgCKkBsig");
    said.addObject()
        .put("type", "tool_use")
        .put("id", "toolu_01")
        .put("name", "Tool1")
        .putObject("input")
        .put("path", ".");
    ArrayNode results = messages.addObject().put("role", "user").putArray("content");
    results
        .addObject()
        .put("type", "tool_result")
        .put("tool_use_id", "toolu_01")
        .put("content", "README.md\npom.xml")
        .putObject("cache_control")
        .put("type", "ephemeral");
    return body;
  }

  static final String ANSWER =
      "{\"id\":\"msg_01cc\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
          + "\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"Two files.\"}],"
          + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,"
          + "\"cache_read_input_tokens\":2000,\"cache_creation_input_tokens\":0,"
          + "\"output_tokens\":4}}";

  @Test
  void claudeCodeRequestReachesAnthropicUnchangedButForTheModel() throws Exception {
    anthropic.respondWith((request, reply) -> reply.json(200, ANSWER));
    ObjectNode sent = claudeCodeRequest(false);

    HttpResponse<String> response =
        post(
            "/v1/messages?beta=true",
            sent.toString(),
            "x-api-key",
            MASTER_KEY,
            "anthropic-version",
            "2023-06-01",
            "anthropic-beta",
            "claude-code-20250219,interleaved-thinking-2025-05-14");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(ANSWER);
    FakeUpstream.Received received = anthropic.takeRequest();
    assertThat(received.path()).isEqualTo("/v1/messages");
    assertThat(received.headers()).containsEntry("x-api-key", ANTHROPIC_KEY);
    assertThat(received.headers())
        .containsEntry("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14");
    JsonNode upstreamBody = ClientSide.parse(received.body());
    ObjectNode expected = sent.deepCopy().put("model", "claude-sonnet-4-5");
    assertThat(upstreamBody).isEqualTo(expected);
  }

  @Test
  void bearerAuthAndAnyVersionAreAccepted() throws Exception {
    anthropic.respondWith((request, reply) -> reply.json(200, ANSWER));

    HttpResponse<String> response =
        post(
            "/v1/messages",
            claudeCodeRequest(false).toString(),
            "Authorization",
            "Bearer " + MASTER_KEY,
            "anthropic-version",
            "2026-10-21");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void aMissingKeyIsAnAnthropicAuthenticationError() throws Exception {
    HttpResponse<String> response = post("/v1/messages", claudeCodeRequest(false).toString());

    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode error = ClientSide.parse(response.body());
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.at("/error/type").asText()).isEqualTo("authentication_error");
    assertThat(response.body()).doesNotContain(ANTHROPIC_KEY);
  }

  @Test
  void aBodyWithoutMaxTokensIsAnInvalidRequest() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/messages",
            "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            "x-api-key",
            MASTER_KEY);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = ClientSide.parse(response.body());
    assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.at("/error/message").asText()).isEqualTo("max_tokens: Field required");
  }

  @Test
  void anUnknownModelIsNotFoundInAnthropicsShape() throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/messages",
            "{\"model\":\"nope\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            "x-api-key",
            MASTER_KEY);

    JsonNode error = ClientSide.parse(response.body());
    assertThat(error.path("type").asText()).as(response.body()).isEqualTo("error");
    assertThat(error.at("/error/message").asText()).contains("nope");
    assertThat(response.statusCode()).isIn(400, 404);
  }

  @Test
  void longToolNamesAreShortenedForOpenAiAndRestoredInTheAnswer() throws Exception {
    openai.respondWith(
        (request, reply) -> {
          JsonNode body = ClientSide.parse(request.body());
          String name = body.at("/tools/0/function/name").asText();
          reply.json(
              200,
              "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":"
                  + "\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                  + "\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                  + "\"function\":{\"name\":\""
                  + name
                  + "\",\"arguments\":\"{\\\"path\\\":\\\"src\\\"}\"}}]},\"finish_reason\":"
                  + "\"tool_calls\"}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":5,"
                  + "\"total_tokens\":55}}");
        });
    ObjectNode request = claudeCodeRequest(false).put("model", "gpt");
    String longName = request.at("/tools/0/name").asText();

    HttpResponse<String> response =
        post("/v1/messages", request.toString(), "x-api-key", MASTER_KEY);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode upstreamBody = ClientSide.parse(openai.takeRequest().body());
    List<String> names = new ArrayList<>();
    upstreamBody.path("tools").forEach(t -> names.add(t.at("/function/name").asText()));
    assertThat(names).hasSize(32).allSatisfy(n -> assertThat(n.length()).isLessThanOrEqualTo(64));
    assertThat(names.get(0)).startsWith("mcp__github__");
    JsonNode message = ClientSide.parse(response.body());
    assertThat(message.at("/content/0/type").asText()).isEqualTo("tool_use");
    assertThat(message.at("/content/0/name").asText()).isEqualTo(longName);
    assertThat(message.at("/content/0/input/path").asText()).isEqualTo("src");
    assertThat(message.path("stop_reason").asText()).isEqualTo("tool_use");
    // the earlier turns went over as OpenAI's: the call, then its result as a tool message
    assertThat(upstreamBody.at("/messages/2/tool_calls/0/id").asText()).isEqualTo("toolu_01");
    assertThat(upstreamBody.at("/messages/3/role").asText()).isEqualTo("tool");
    assertThat(upstreamBody.path("reasoning_effort").asText()).isEqualTo("high");
  }

  @Test
  void aServerToolIsRefusedForAnotherProviderAndPassedToAnthropic() throws Exception {
    ObjectNode request = claudeCodeRequest(false);
    ((ArrayNode) request.get("tools"))
        .addObject()
        .put("type", "web_search_20250305")
        .put("name", "web_search");
    anthropic.respondWith((r, reply) -> reply.json(200, ANSWER));

    HttpResponse<String> refused =
        post(
            "/v1/messages",
            request.deepCopy().put("model", "gpt").toString(),
            "x-api-key",
            MASTER_KEY);
    HttpResponse<String> passed = post("/v1/messages", request.toString(), "x-api-key", MASTER_KEY);

    assertThat(refused.statusCode()).isEqualTo(400);
    JsonNode error = ClientSide.parse(refused.body());
    assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.at("/error/message").asText()).contains("web_search_20250305", "gpt");
    assertThat(passed.statusCode()).as(passed.body()).isEqualTo(200);
  }

  @Test
  void tokenCountsAreForwardedToAnthropicAndEstimatedElsewhere() throws Exception {
    anthropic.respondWith((request, reply) -> reply.json(200, "{\"input_tokens\":2095}"));
    AnthropicClient sdk = ClientSide.anthropic(gateway, MASTER_KEY);
    try {
      long counted =
          sdk.messages()
              .countTokens(
                  MessageCountTokensParams.builder()
                      .model("claude")
                      .addUserMessage("How many tokens is this?")
                      .build())
              .inputTokens();
      long estimated =
          sdk.messages()
              .countTokens(
                  MessageCountTokensParams.builder()
                      .model("gpt")
                      .addUserMessage("How many tokens is this?")
                      .build())
              .inputTokens();

      assertThat(counted).isEqualTo(2095);
      FakeUpstream.Received received = anthropic.takeRequest();
      assertThat(received.path()).isEqualTo("/v1/messages/count_tokens");
      assertThat(ClientSide.parse(received.body()).path("model").asText())
          .isEqualTo("claude-sonnet-4-5");
      // 24 characters / 4 + 4 for the message
      assertThat(estimated).isEqualTo(10);
    } finally {
      sdk.close();
    }
  }

  @Test
  void messagesAreCountedUnderTheirRoute() throws Exception {
    anthropic.respondWith((request, reply) -> reply.json(200, ANSWER));
    String route = "route=\"/v1/messages\"";
    double before =
        ClientSide.metricSum(gateway, "litellm_proxy_total_requests_metric_total", route);

    post("/v1/messages", claudeCodeRequest(false).toString(), "x-api-key", MASTER_KEY);

    assertThat(
            ClientSide.metricSum(gateway, "litellm_proxy_total_requests_metric_total", route)
                - before)
        .isEqualTo(1.0);
  }

  // ---------------------------------------------------------------- recorded streams

  @ParameterizedTest
  @ValueSource(
      strings = {
        "basic_response.txt",
        "tool_use_response.txt",
        "incomplete_partial_json_response.txt",
        "py_compaction_response.txt",
        "py_refusal_response.txt",
        "doc_thinking_stream.sse",
        "doc_error_event_midstream.sse",
        "real_stream_structured_output_sonnet45.sse",
        "stream-a-refusal.sse",
        "stream-a-toolrefusal.sse"
      })
  void recordedStreamPassesThroughEventForEventAtEverySplitPoint(String fixture) throws Exception {
    recording = Fixtures.read("anthropic/" + fixture);
    anthropic.respondWith(FakeUpstream.splitReplay(() -> recording));
    List<Event> recorded =
        ClientSide.events(new String(recording, StandardCharsets.UTF_8).replace("\r", ""));
    boolean complete = recorded.stream().anyMatch(e -> "message_stop".equals(e.name()));
    boolean failed = recorded.stream().anyMatch(e -> "error".equals(e.name()));
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int split = 1; split < recording.length; split++) {
        int at = split;
        results.add(clients.submit(() -> streamWithSplit(at)));
      }
      for (int i = 0; i < results.size(); i++) {
        List<Event> events = ClientSide.events(results.get(i).get());
        String where = fixture + " split at " + (i + 1);
        if (complete || failed) {
          assertThat(events).as(where).containsExactlyElementsOf(recorded);
        } else {
          // a stream cut short before message_stop ends with the gateway's error event
          assertThat(events.subList(0, recorded.size())).as(where).isEqualTo(recorded);
          assertThat(events).as(where).hasSize(recorded.size() + 1);
          assertThat(events.get(recorded.size()).name()).isEqualTo("error");
        }
      }
    } finally {
      clients.shutdownNow();
    }
  }

  private static String streamWithSplit(int split) throws Exception {
    String body =
        "{\"model\":\"claude\",\"max_tokens\":100,\"stream\":true,\"metadata\":{\"user_id\":"
            + "\"split-"
            + split
            + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
            .header("x-api-key", MASTER_KEY)
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }
}
