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
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claude through FeatherGate as an OpenAI client meets it: the official openai-java client talks to
 * the gateway in embedded Jetty, the gateway talks to a fake Anthropic that checks requests the way
 * the real Messages API does ({@link FakeAnthropicRules}) and answers with recorded traffic.
 */
class AnthropicE2ETest {
  static final String UPSTREAM_KEY = "sk-ant-upstream-secret";
  static final ObjectMapper JSON = new ObjectMapper();

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    String withV1 = upstream.baseUrl();
    String bare = withV1.substring(0, withV1.length() - "/v1".length());
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_base: %1$s
                  api_key: %3$s
                  max_retries: 0
              - model_name: claude-bare-base
                litellm_params:
                  model: anthropic/claude-haiku-4-5
                  api_base: %2$s
                  api_key: %3$s
                  max_retries: 0
              - model_name: claude-retrying
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_base: %1$s
                  api_key: %3$s
                  max_retries: 1
            """
                .formatted(withV1, bare, UPSTREAM_KEY));
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(gateway.baseUrl() + "/v1")
            .apiKey("unused")
            .maxRetries(0)
            .timeout(Duration.ofSeconds(20))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void drainRecordedRequests() throws InterruptedException {
    while (upstream.requestsReceived() > 0) {
      upstream.takeRequest();
    }
  }

  /** Every answer passes the fake Anthropic's request checks first. */
  private static void answer(FakeUpstream.Responder responder) {
    upstream.respondWith(
        (request, reply) -> {
          if (!FakeAnthropicRules.reject(request, reply)) {
            responder.respond(request, reply);
          }
        });
  }

  private static void answerJson(String json) {
    answer((request, reply) -> reply.json(200, json));
  }

  private static void answerStream(byte[] stream) {
    answer(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(stream);
          reply.endStream();
        });
  }

  private static byte[] resource(String path) {
    try (InputStream in = AnthropicE2ETest.class.getResourceAsStream("/" + path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A recorded Messages exchange: {@code [{request, response:{status_code, headers, body}}]}. */
  private static JsonNode recordedExchange(String fixture, int index) throws IOException {
    return JSON.readTree(Fixtures.read("anthropic/" + fixture)).get(index);
  }

  private static String message(String stopReason, String content) {
    return "{\"id\":\"msg_e2e\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
        + "\"content\":"
        + content
        + ",\"stop_reason\":\""
        + stopReason
        + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"cache_read_input_tokens\":30,"
        + "\"cache_creation_input_tokens\":0,\"output_tokens\":5}}";
  }

  private static final FunctionDefinition GET_WEATHER =
      FunctionDefinition.builder()
          .name("get_weather")
          .description("Lookup the weather for a given city in either celsius or fahrenheit")
          .parameters(
              FunctionParameters.builder()
                  .putAdditionalProperty("type", JsonValue.from("object"))
                  .putAdditionalProperty(
                      "properties",
                      JsonValue.from(
                          Map.of(
                              "location", Map.of("type", "string"),
                              "units", Map.of("type", "string", "enum", List.of("c", "f")))))
                  .putAdditionalProperty("required", JsonValue.from(List.of("location", "units")))
                  .build())
          .build();

  @Test
  void textWithSystemPromptAndUsage() throws Exception {
    answerJson(message("end_turn", "[{\"type\":\"text\",\"text\":\"Hello! How can I help?\"}]"));

    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("claude")
                    .addSystemMessage("You are terse.")
                    .addUserMessage("Say hello")
                    .addUserMessage("Please")
                    .build());

    assertThat(completion.id()).isEqualTo("msg_e2e");
    assertThat(completion.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(completion.choices().get(0).message().content()).contains("Hello! How can I help?");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().get().promptTokens()).isEqualTo(50);
    assertThat(completion.usage().get().completionTokens()).isEqualTo(5);
    assertThat(completion.usage().get().promptTokensDetails().get().cachedTokens()).contains(30L);

    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.headers())
        .containsEntry("x-api-key", UPSTREAM_KEY)
        .containsEntry("anthropic-version", "2023-06-01")
        .doesNotContainKey("authorization");
    JsonNode body = JSON.readTree(sent.body());
    assertThat(body.get("system").asText()).isEqualTo("You are terse.");
    assertThat(body.get("max_tokens").asInt()).isEqualTo(4096);
    assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.get("messages")).hasSize(1);
  }

  @Test
  void streamedTextWithTheUsageChunkWhenAsked_litellm3490() throws Exception {
    answerStream(Fixtures.read("anthropic/basic_response.txt"));
    StringBuilder text = new StringBuilder();
    List<String> ids = new ArrayList<>();
    long totalTokens = -1;
    String finish = null;
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("claude")
                    .addUserMessage("Hello")
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        ids.add(chunk.id());
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          choice.delta().content().ifPresent(text::append);
          if (choice.finishReason().isPresent()) {
            finish = choice.finishReason().get().asString();
          }
        }
        if (chunk.usage().isPresent()) {
          totalTokens = chunk.usage().get().totalTokens();
        }
      }
    }
    assertThat(text.toString()).isEqualTo("Hello there!");
    assertThat(finish).isEqualTo("stop");
    assertThat(totalTokens).isEqualTo(17);
    assertThat(ids).containsOnly("msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK");
    JsonNode sent = JSON.readTree(upstream.takeRequest().body());
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.has("stream_options")).isFalse();
  }

  @Test
  void recordedToolRoundTripWithABareApiBase() throws Exception {
    JsonNode first = recordedExchange("real_exchange_tool_use_roundtrip.json", 0);
    JsonNode second = recordedExchange("real_exchange_tool_use_roundtrip.json", 1);
    answerJson(first.at("/response/body").toString());
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model("claude-bare-base")
            .maxCompletionTokens(1024)
            .addUserMessage("What is the weather in SF?")
            .addFunctionTool(GET_WEATHER);

    ChatCompletion toolTurn = client.chat().completions().create(params.build());

    ChatCompletionMessage assistant = toolTurn.choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = assistant.toolCalls().get().get(0).asFunction();
    assertThat(toolTurn.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(call.id()).isEqualTo("toolu_016xm9m1i3NcGW5xFMMZJTqY");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(JSON.readTree(call.function().arguments()))
        .isEqualTo(JSON.readTree("{\"location\":\"San Francisco, CA\",\"units\":\"f\"}"));
    assertThat(upstream.takeRequest().path()).isEqualTo("/v1/messages");

    answerJson(second.at("/response/body").toString());
    ChatCompletion answerTurn =
        client
            .chat()
            .completions()
            .create(
                params
                    .addMessage(assistant)
                    .addMessage(
                        ChatCompletionToolMessageParam.builder()
                            .toolCallId(call.id())
                            .content(
                                second.at("/request/body/messages/2/content/0/content").asText())
                            .build())
                    .build());
    assertThat(answerTurn.choices().get(0).message().content().get()).contains("68°F and Sunny");
    JsonNode sent = JSON.readTree(upstream.takeRequest().body());
    assertThat(sent.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
    assertThat(sent.at("/messages/1/content/0/input/units").asText()).isEqualTo("f");
  }

  @Test
  void parallelToolCallsStreamedAndReassembledIntoValidJson() throws Exception {
    answerStream(resource("golden/anthropic/tools_parallel_stream/upstream_response.sse"));
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("claude")
                    .addUserMessage("Weather in Paris and Tokyo, and the time?")
                    .addFunctionTool(GET_WEATHER)
                    .addFunctionTool(FunctionDefinition.builder().name("get_time").build())
                    .parallelToolCalls(true)
                    .build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(completion.choices().get(0).message().content()).contains("Checking both.");
    List<String> arguments = new ArrayList<>();
    List<String> callIds = new ArrayList<>();
    for (var call : completion.choices().get(0).message().toolCalls().get()) {
      arguments.add(JSON.readTree(call.asFunction().function().arguments()).toString());
      callIds.add(call.asFunction().id());
    }
    assertThat(callIds).containsExactly("toolu_01A", "toolu_01B", "toolu_01C");
    assertThat(arguments)
        .containsExactly(
            "{\"location\":\"Paris\",\"units\":\"c\"}",
            "{\"location\":\"Tokyo\",\"units\":\"c\"}",
            "{}");
  }

  @Test
  void parallelToolCallsWhole() throws Exception {
    answerJson(
        message(
            "tool_use",
            "[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"location\":\"Paris\",\"units\":\"c\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"get_weather\",\"input\":{\"location\":\"Oslo\",\"units\":\"c\"}}]"));
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("claude")
                    .addUserMessage("Paris and Oslo?")
                    .addFunctionTool(GET_WEATHER)
                    .parallelToolCalls(false)
                    .build());
    assertThat(completion.choices().get(0).message().toolCalls().get()).hasSize(2);
    assertThat(completion.choices().get(0).message().content()).isEmpty();
    JsonNode sent = JSON.readTree(upstream.takeRequest().body());
    assertThat(sent.at("/tool_choice/disable_parallel_tool_use").asBoolean()).isTrue();
  }

  @Test
  void streamedToolCallWithoutArgumentsGetsAnEmptyObject_litellm5063() throws Exception {
    String sse =
        """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_n","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":9,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_n","name":"snooze","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":12}}

        event: message_stop
        data: {"type":"message_stop"}

        """;
    answerStream(sse.getBytes(StandardCharsets.UTF_8));
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("claude")
                    .addUserMessage("Snooze")
                    .addFunctionTool(FunctionDefinition.builder().name("snooze").build())
                    .build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    var call = accumulator.chatCompletion().choices().get(0).message().toolCalls().get().get(0);
    assertThat(call.asFunction().function().arguments()).isEqualTo("{}");
    JsonNode sent = JSON.readTree(upstream.takeRequest().body());
    assertThat(sent.at("/tools/0/input_schema/type").asText()).isEqualTo("object");
  }

  @Test
  void imagesAsDataUrlAndHttpUrl() throws Exception {
    answerJson(message("end_turn", "[{\"type\":\"text\",\"text\":\"Two pictures.\"}]"));
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("claude")
                    .addUserMessageOfArrayOfContentParts(
                        List.of(
                            ChatCompletionContentPart.ofText(
                                ChatCompletionContentPartText.builder().text("Compare").build()),
                            image("data:image/png;base64,iVBORw0KGgo="),
                            image("https://example.com/ant.jpg")))
                    .build());
    assertThat(completion.choices().get(0).message().content()).contains("Two pictures.");
    JsonNode content = JSON.readTree(upstream.takeRequest().body()).at("/messages/0/content");
    assertThat(content.get(1).at("/source/type").asText()).isEqualTo("base64");
    assertThat(content.get(1).at("/source/media_type").asText()).isEqualTo("image/png");
    assertThat(content.get(1).at("/source/data").asText()).isEqualTo("iVBORw0KGgo=");
    assertThat(content.get(2).at("/source/type").asText()).isEqualTo("url");
    assertThat(content.get(2).at("/source/url").asText()).isEqualTo("https://example.com/ant.jpg");
  }

  private static ChatCompletionContentPart image(String url) {
    return ChatCompletionContentPart.ofImageUrl(
        ChatCompletionContentPartImage.builder()
            .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(url).build())
            .build());
  }

  @Test
  void stopReasonsBecomeOpenAiFinishReasons() {
    Map<String, ChatCompletion.Choice.FinishReason> expected =
        Map.of(
            "end_turn", ChatCompletion.Choice.FinishReason.STOP,
            "stop_sequence", ChatCompletion.Choice.FinishReason.STOP,
            "max_tokens", ChatCompletion.Choice.FinishReason.LENGTH,
            "refusal", ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    for (Map.Entry<String, ChatCompletion.Choice.FinishReason> entry : expected.entrySet()) {
      answerJson(message(entry.getKey(), "[{\"type\":\"text\",\"text\":\"Some text\"}]"));
      ChatCompletion completion =
          client
              .chat()
              .completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model("claude")
                      .addUserMessage("x")
                      .stop(ChatCompletionCreateParams.Stop.ofStrings(List.of("###")))
                      .build());
      assertThat(completion.choices().get(0).finishReason())
          .as(entry.getKey())
          .isEqualTo(entry.getValue());
    }
  }

  @Test
  void jsonSchemaResponseFormatAnswersInTheContent() throws Exception {
    answerJson(
        message(
            "tool_use",
            "[{\"type\":\"tool_use\",\"id\":\"toolu_j\",\"name\":\"json_tool_call\",\"input\":{\"city\":\"Tokyo\"}}]"));
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("claude")
                    .addUserMessage("Largest city in Japan?")
                    .responseFormat(
                        ResponseFormatJsonSchema.builder()
                            .jsonSchema(
                                ResponseFormatJsonSchema.JsonSchema.builder()
                                    .name("city")
                                    .schema(
                                        ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                            .putAdditionalProperty("type", JsonValue.from("object"))
                                            .putAdditionalProperty(
                                                "properties",
                                                JsonValue.from(
                                                    Map.of("city", Map.of("type", "string"))))
                                            .build())
                                    .build())
                            .build())
                    .build());
    assertThat(JSON.readTree(completion.choices().get(0).message().content().get()))
        .isEqualTo(JSON.readTree("{\"city\":\"Tokyo\"}"));
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.choices().get(0).message().toolCalls()).isEmpty();
    JsonNode sent = JSON.readTree(upstream.takeRequest().body());
    assertThat(sent.at("/tool_choice/name").asText()).isEqualTo("json_tool_call");
  }

  @Test
  void anthropicBetaHeaderFromTheClientIsPassedOn() throws Exception {
    answerJson(message("end_turn", "[{\"type\":\"text\",\"text\":\"ok\"}]"));
    client
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model("claude")
                .addUserMessage("x")
                .putAdditionalHeader("anthropic-beta", "context-1m-2025-08-07")
                .build());
    assertThat(upstream.takeRequest().headers())
        .containsEntry("anthropic-beta", "context-1m-2025-08-07");
  }

  @Test
  void midStreamErrorEventReachesTheClientAfterTheEarlierChunks_litellm4562() {
    answerStream(Fixtures.read("anthropic/doc_error_event_midstream.sse"));
    List<String> pieces = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              try (StreamResponse<ChatCompletionChunk> stream =
                  client
                      .chat()
                      .completions()
                      .createStreaming(
                          ChatCompletionCreateParams.builder()
                              .model("claude")
                              .addUserMessage("Hello")
                              .build())) {
                stream.stream()
                    .forEach(
                        c ->
                            c.choices().forEach(ch -> ch.delta().content().ifPresent(pieces::add)));
              }
            })
        .isInstanceOf(SseException.class)
        .hasMessageContaining("Overloaded");
    // the role chunk's empty content aside, the text that came before the error arrived
    assertThat(pieces).filteredOn(p -> !p.isEmpty()).containsExactly("Hello", " there", "!");
  }

  @Test
  void overloadedReachesTheClientAs503() throws Exception {
    answer(
        (request, reply) ->
            reply.json(
                529,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_o\"}"));
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("claude")
                            .addUserMessage("x")
                            .build()))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.getMessage()).contains("Overloaded");
              assertThat(e.code()).contains("529");
            });
  }

  @Test
  void overloadedIsRetriedByTheGatewayBeforeAnythingReachesTheClient() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    answer(
        (request, reply) -> {
          if (calls.getAndIncrement() == 0) {
            reply.json(
                529,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
          } else {
            reply.json(200, message("end_turn", "[{\"type\":\"text\",\"text\":\"Second try\"}]"));
          }
        });
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("claude-retrying")
                    .addUserMessage("x")
                    .build());
    assertThat(completion.choices().get(0).message().content()).contains("Second try");
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void recordedRateLimitKeepsItsStatusAndMessage() throws Exception {
    JsonNode recorded = JSON.readTree(Fixtures.read("anthropic/real_error_429_rate_limit.json"));
    answer((request, reply) -> reply.json(429, recorded.get("body").toString()));
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("claude")
                            .addUserMessage("x")
                            .build()))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e ->
                assertThat(e.getMessage()).contains("would exceed your organization's rate limit"));
  }

  @Test
  void anthropicsOwnRefusalOfABrokenConversationReachesTheClient() {
    answerJson(message("end_turn", "[{\"type\":\"text\",\"text\":\"never sent\"}]"));
    // a tool result with no tool call before it: the gateway passes it on, Anthropic refuses it
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("claude")
                            .addUserMessage("What's the weather in SF in Celsius?")
                            .addMessage(
                                ChatCompletionToolMessageParam.builder()
                                    .toolCallId("toolu_01GHndag5wQmbzNihYmV2UBj")
                                    .content("20°C")
                                    .build())
                            .addFunctionTool(GET_WEATHER)
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("unexpected `tool_use_id` found in `tool_result`");
              assertThat(e.statusCode()).isEqualTo(400);
            });
  }

  @Test
  void unsupportedParameterIsRefusedWithoutCallingAnthropic() {
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("claude")
                            .addUserMessage("x")
                            .seed(7)
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("'seed'"));
    assertThat(upstream.requestsReceived()).isZero();
  }

  @Test
  void theFakeAnthropicRefusesWhatTheRealApiRefuses() throws Exception {
    Map<String, String> headers = Map.of("x-api-key", "k", "anthropic-version", "2023-06-01");
    String ok =
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    assertThat(FakeAnthropicRules.problem(received(headers, ok))).isNull();
    assertThat(FakeAnthropicRules.problem(received(Map.of("anthropic-version", "2023-06-01"), ok)))
        .contains("x-api-key");
    assertThat(FakeAnthropicRules.problem(received(Map.of("x-api-key", "k"), ok)))
        .contains("anthropic-version");
    assertThat(FakeAnthropicRules.problem(received(headers, ok.replace("\"max_tokens\":5,", ""))))
        .contains("max_tokens");
    assertThat(
            FakeAnthropicRules.problem(
                received(headers, ok.replace("\"role\":\"user\"", "\"role\":\"system\""))))
        .contains("top-level `system`");
    assertThat(
            FakeAnthropicRules.problem(
                received(headers, ok.replace("}]}", "},{\"role\":\"user\",\"content\":\"y\"}]}"))))
        .contains("alternate");
    String orphanResult =
        ok.replace(
            "\"content\":\"x\"",
            "\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_9\",\"content\":\"r\"}]");
    assertThat(FakeAnthropicRules.problem(received(headers, orphanResult)))
        .contains("corresponding `tool_use` block");
  }

  private static FakeUpstream.Received received(Map<String, String> headers, String body) {
    return new FakeUpstream.Received("POST", "/v1/messages", headers, body);
  }
}
