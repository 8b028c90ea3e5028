package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.e2e.ClientSide.Event;
import io.feathergate.e2e.ProviderFake.ErrorClass;
import io.feathergate.e2e.ProviderFake.StreamFailure;
import io.feathergate.e2e.ProviderFake.ToolCall;
import io.feathergate.e2e.ProviderFake.ToolResult;
import io.feathergate.e2e.ProviderFake.UpstreamError;
import io.feathergate.e2e.ProviderFake.Usage;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client of Anthropic's Messages API (the official anthropic-java SDK, Claude Code) notices
 * of any provider behind {@code /v1/messages}: answers, streams, tool round trips, usage, errors
 * before and after the first byte, and clients that leave. Run against every provider's fake
 * upstream, each checking requests as the real API does: Anthropic's takes the client's body
 * untranslated, the others a translation.
 */
class MessagesContractTest {
  static final String PROMPT = ProviderContractTest.PROMPT;
  static final Usage USAGE = ProviderContractTest.USAGE;
  static final List<String> DELTAS = ProviderContractTest.DELTAS;
  static final ToolCall WEATHER_CALL = ProviderContractTest.WEATHER_CALL;
  static final String TOOL_OUTPUT = ProviderContractTest.TOOL_OUTPUT;

  static final Map<String, FakeUpstream> upstreams = new LinkedHashMap<>();
  static GatewayServer gateway;
  static AnthropicClient client;

  @BeforeAll
  static void start() throws Exception {
    gateway = GatewayServer.start(ProviderContractTest.startUpstreams(upstreams));
    client = ClientSide.anthropic(gateway, "unused");
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    gateway.close();
    for (FakeUpstream upstream : upstreams.values()) {
      upstream.close();
    }
  }

  @BeforeEach
  void forgetEarlierTraffic() {
    upstreams.values().forEach(FakeUpstream::forget);
  }

  static FakeUpstream answer(ProviderFake fake, FakeUpstream.Responder responder) {
    return ProviderContractTest.answerOn(upstreams, fake, responder);
  }

  static FakeUpstream answerStream(ProviderFake fake, List<String> deltas) {
    return ProviderContractTest.answerStreamOn(upstreams, fake, deltas);
  }

  static MessageCreateParams.Builder params(ProviderFake fake) {
    return MessageCreateParams.builder().model(fake.name()).maxTokens(1024).addUserMessage(PROMPT);
  }

  static Tool weatherTool() {
    return Tool.builder()
        .name(WEATHER_CALL.name())
        .description("The current weather in a city")
        .inputSchema(
            Tool.InputSchema.builder()
                .properties(
                    Tool.InputSchema.Properties.builder()
                        .putAdditionalProperty("location", JsonValue.from(Map.of("type", "string")))
                        .putAdditionalProperty("units", JsonValue.from(Map.of("type", "string")))
                        .build())
                .required(List.of("location"))
                .build())
        .build();
  }

  static String text(Message message) {
    return message.content().stream()
        .flatMap(block -> block.text().stream())
        .map(TextBlock::text)
        .collect(Collectors.joining());
  }

  static Message streamed(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    return accumulator.message();
  }

  static String streamBody(ProviderFake fake) {
    return "{\"model\":\""
        + fake.name()
        + "\",\"max_tokens\":1024,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
        + PROMPT
        + "\"}]}";
  }

  /** A value of the SDK's as JSON. */
  static JsonNode json(JsonValue value) {
    try {
      return ClientSide.parse(
          com.anthropic.core.ObjectMappers.jsonMapper().writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Anthropic's error type for a status, as its API documents them. */
  static String anthropicType(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> "api_error";
    };
  }

  // ---------------------------------------------------------------- answers

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void textAnswer(ProviderFake fake) throws Exception {
    FakeUpstream upstream =
        answer(fake, (request, reply) -> fake.answerText(request, reply, "Sunny in Paris.", USAGE));

    Message message = client.messages().create(params(fake).build());

    assertThat(text(message)).isEqualTo("Sunny in Paris.");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo(USAGE.prompt());
    assertThat(message.usage().outputTokens()).isEqualTo(USAGE.completion());
    assertThat(message.id()).startsWith("msg_");
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(fake.receivedKey(sent)).isEqualTo(fake.apiKey());
    assertThat(fake.askedForStream(sent)).isFalse();
    assertThat(fake.lastUserText(sent)).isEqualTo(PROMPT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void streamedText(ProviderFake fake) throws Exception {
    FakeUpstream upstream = answerStream(fake, DELTAS);

    Message message = streamed(params(fake).build());

    assertThat(text(message)).isEqualTo(String.join("", DELTAS));
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(USAGE.completion());
    assertThat(message.usage().inputTokens()).isEqualTo(USAGE.prompt());
    assertThat(fake.askedForStream(upstream.takeRequest())).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void streamIsAnthropicsNamedEvents(ProviderFake fake) throws Exception {
    answerStream(fake, DELTAS);

    HttpResponse<String> response = ClientSide.postTo(gateway, "/v1/messages", streamBody(fake));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    List<Event> events = ClientSide.events(response.body());
    // every event is named, and its data's type says the same
    assertThat(events)
        .allSatisfy(e -> assertThat(e.json().path("type").asText()).isEqualTo(e.name()));
    List<String> names = events.stream().map(Event::name).filter(n -> !n.equals("ping")).toList();
    assertThat(names.get(0)).isEqualTo("message_start");
    assertThat(names.subList(names.size() - 2, names.size()))
        .containsExactly("message_delta", "message_stop");
    assertThat(names).contains("content_block_start", "content_block_delta", "content_block_stop");
    List<String> pieces = new ArrayList<>();
    for (Event event : events) {
      JsonNode delta = event.json().path("delta");
      if (delta.path("type").asText().equals("text_delta")) {
        pieces.add(delta.path("text").asText());
      }
    }
    assertThat(String.join("", pieces)).isEqualTo(String.join("", DELTAS));
  }

  // ---------------------------------------------------------------- tools

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void toolRoundTrip(ProviderFake fake) throws Exception {
    FakeUpstream upstream =
        answer(
            fake,
            (request, reply) -> {
              if (fake.toolResult(request) == null) {
                fake.answerToolCall(request, reply, WEATHER_CALL, USAGE);
              } else {
                fake.answerText(request, reply, "It is 18°C and sunny in Paris.", USAGE);
              }
            });

    Message first = client.messages().create(params(fake).addTool(weatherTool()).build());

    assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock call =
        first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(json(call._input())).isEqualTo(ClientSide.parse(WEATHER_CALL.arguments()));
    assertThat(fake.declaredTools(upstream.takeRequest())).containsExactly("get_weather");

    Message second =
        client
            .messages()
            .create(
                params(fake)
                    .addTool(weatherTool())
                    .addMessage(first)
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder()
                                    .toolUseId(call.id())
                                    .content(TOOL_OUTPUT)
                                    .build())))
                    .build());

    assertThat(text(second)).isEqualTo("It is 18°C and sunny in Paris.");
    ToolResult result = fake.toolResult(upstream.takeRequest());
    assertThat(result.content()).contains(TOOL_OUTPUT);
    if (result.callId() != null) {
      assertThat(result.callId()).isEqualTo(call.id());
    }
    if (result.toolName() != null) {
      assertThat(result.toolName()).isEqualTo("get_weather");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void streamedToolCall(ProviderFake fake) {
    answer(fake, (request, reply) -> fake.streamToolCall(request, reply, WEATHER_CALL, USAGE));

    Message message = streamed(params(fake).addTool(weatherTool()).build());

    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    List<ToolUseBlock> calls =
        message.content().stream().flatMap(b -> b.toolUse().stream()).toList();
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).name()).isEqualTo("get_weather");
    assertThat(json(calls.get(0)._input())).isEqualTo(ClientSide.parse(WEATHER_CALL.arguments()));
    assertThat(message.content()).noneMatch(ContentBlock::isText);
  }

  // ---------------------------------------------------------------- errors

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providersAndErrors")
  void errorBeforeTheFirstByte(ProviderFake fake, ErrorClass kind) throws Exception {
    UpstreamError error = fake.error(kind, false);
    answer(
        fake,
        (request, reply) ->
            reply.whole(error.status(), error.contentType(), error.body(), error.headers()));
    // Anthropic's clients know 529, which OpenAI's are told as 503
    int status = "529".equals(error.client().code()) ? 529 : kind.clientStatus;

    assertThatThrownBy(() -> client.messages().create(params(fake).build()))
        .isInstanceOfSatisfying(
            AnthropicServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              JsonNode body = json(e.body());
              assertThat(body.path("type").asText()).isEqualTo("error");
              assertThat(body.at("/error/type").asText()).isEqualTo(anthropicType(status));
              assertThat(body.at("/error/message").asText())
                  .contains(error.client().messageParts());
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void failureMidStreamIsAnErrorEventTheSdkRaises(ProviderFake fake) throws Exception {
    StreamFailure failure = fake.streamFailure();
    answer(
        fake,
        (request, reply) -> {
          fake.startStream(request, reply, USAGE);
          fake.streamText(reply, "Partial answer");
          fake.sendStreamFailure(reply, failure);
          reply.endStream();
        });

    HttpResponse<String> response = ClientSide.postTo(gateway, "/v1/messages", streamBody(fake));

    assertThat(response.statusCode()).isEqualTo(200);
    List<Event> events = ClientSide.events(response.body());
    Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("error");
    assertThat(last.json().path("type").asText()).isEqualTo("error");
    assertThat(last.json().at("/error/message").asText()).contains(failure.client().messageParts());
    assertThat(events).noneMatch(e -> "message_stop".equals(e.name()));

    List<String> seen = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              try (StreamResponse<RawMessageStreamEvent> stream =
                  client.messages().createStreaming(params(fake).build())) {
                stream.stream()
                    .forEach(
                        event ->
                            event
                                .contentBlockDelta()
                                .flatMap(d -> d.delta().text())
                                .ifPresent(t -> seen.add(t.text())));
              }
            })
        .isInstanceOf(AnthropicServiceException.class)
        .hasMessageContaining(failure.client().messageParts().get(0));
    assertThat(String.join("", seen)).isEqualTo("Partial answer");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void clientThatLeavesMidStreamClosesTheUpstreamConnection(ProviderFake fake) throws Exception {
    FakeUpstream upstream = answer(fake, ProviderContractTest.ticksForTenSeconds(fake));

    ProviderContractTest.readUntilThenLeave(gateway, "/v1/messages", streamBody(fake), "tick ");

    assertThat(upstream.awaitPeerClose()).isNotNull();
  }
}
