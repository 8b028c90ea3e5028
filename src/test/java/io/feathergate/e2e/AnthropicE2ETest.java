package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.nio.charset.StandardCharsets;
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
  static final ObjectMapper JSON = ClientSide.JSON;
  static final AnthropicFake ANTHROPIC = new AnthropicFake();

  static GatewayRig rig;
  static FakeUpstream upstream;

  @BeforeAll
  static void start() throws Exception {
    rig =
        GatewayRig.start(
            fake ->
                """
                model_list:
                  - model_name: claude
                    litellm_params:
                      model: anthropic/claude-sonnet-4-5
                      api_base: %1$s
                      api_key: %2$s
                      max_retries: 0
                  - model_name: claude-retrying
                    litellm_params:
                      model: anthropic/claude-sonnet-4-5
                      api_base: %1$s
                      api_key: %2$s
                      max_retries: 1
                """
                    .formatted(fake.baseUrl(), UPSTREAM_KEY),
            "unused");
    upstream = rig.upstream;
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.forget();
  }

  /** Every answer passes the fake Anthropic's request checks first. */
  private static void answer(FakeUpstream.Responder responder) {
    rig.answer(ANTHROPIC, responder);
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

  private static ChatCompletionCreateParams.Builder claude(String userText) {
    return ChatCompletionCreateParams.builder().model("claude").addUserMessage(userText);
  }

  private static ChatCompletion complete(ChatCompletionCreateParams.Builder params) {
    return rig.client.chat().completions().create(params.build());
  }

  /** What the client's stream adds up to. */
  private static ChatCompletion completeStreamed(ChatCompletionCreateParams.Builder params) {
    return ClientSide.accumulate(ClientSide.streamAll(rig.client, params.build()));
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

  private static final FunctionDefinition GET_WEATHER = ClientSide.WEATHER_TOOL;

  @Test
  void textWithSystemPromptAndUsage() throws Exception {
    answerJson(message("end_turn", "[{\"type\":\"text\",\"text\":\"Hello! How can I help?\"}]"));

    ChatCompletion completion =
        complete(
            ChatCompletionCreateParams.builder()
                .model("claude")
                .addSystemMessage("You are terse.")
                .addUserMessage("Say hello")
                .addUserMessage("Please"));

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
  void parallelToolCallsStreamedAndReassembledIntoValidJson() throws Exception {
    answerStream(
        Fixtures.resource("/golden/anthropic/tools_parallel_stream/upstream_response.sse"));
    ChatCompletion streamed =
        completeStreamed(
            claude("Weather in Paris and Tokyo, and the time?")
                .addFunctionTool(GET_WEATHER)
                .addFunctionTool(FunctionDefinition.builder().name("get_time").build())
                .parallelToolCalls(true));
    ChatCompletion completion = streamed;
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
        complete(claude("Paris and Oslo?").addFunctionTool(GET_WEATHER).parallelToolCalls(false));
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
    ChatCompletion streamed =
        completeStreamed(
            claude("Snooze").addFunctionTool(FunctionDefinition.builder().name("snooze").build()));
    var call = streamed.choices().get(0).message().toolCalls().get().get(0);
    assertThat(call.asFunction().function().arguments()).isEqualTo("{}");
    JsonNode sent = JSON.readTree(upstream.takeRequest().body());
    assertThat(sent.at("/tools/0/input_schema/type").asText()).isEqualTo("object");
  }

  @Test
  void imagesAsDataUrlAndHttpUrl() throws Exception {
    answerJson(message("end_turn", "[{\"type\":\"text\",\"text\":\"Two pictures.\"}]"));
    ChatCompletion completion =
        complete(
            ChatCompletionCreateParams.builder()
                .model("claude")
                .addUserMessageOfArrayOfContentParts(
                    List.of(
                        ChatCompletionContentPart.ofText(
                            ChatCompletionContentPartText.builder().text("Compare").build()),
                        image("data:image/png;base64,iVBORw0KGgo="),
                        image("https://example.com/ant.jpg"))));
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
          complete(claude("x").stop(ChatCompletionCreateParams.Stop.ofStrings(List.of("###"))));
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
        complete(
            claude("Largest city in Japan?")
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
                        .build()));
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
    complete(claude("x").putAdditionalHeader("anthropic-beta", "context-1m-2025-08-07"));
    assertThat(upstream.takeRequest().headers())
        .containsEntry("anthropic-beta", "context-1m-2025-08-07");
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
        complete(ChatCompletionCreateParams.builder().model("claude-retrying").addUserMessage("x"));
    assertThat(completion.choices().get(0).message().content()).contains("Second try");
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void anthropicsOwnRefusalOfABrokenConversationReachesTheClient() {
    answerJson(message("end_turn", "[{\"type\":\"text\",\"text\":\"never sent\"}]"));
    // a tool result with no tool call before it: the gateway passes it on, Anthropic refuses it
    assertThatThrownBy(
            () ->
                complete(
                    claude("What's the weather in SF in Celsius?")
                        .addMessage(
                            ChatCompletionToolMessageParam.builder()
                                .toolCallId("toolu_01GHndag5wQmbzNihYmV2UBj")
                                .content("20°C")
                                .build())
                        .addFunctionTool(GET_WEATHER)))
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
    assertThatThrownBy(() -> complete(claude("x").seed(7)))
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
