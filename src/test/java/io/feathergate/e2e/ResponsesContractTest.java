package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.feathergate.e2e.ClientSide.Event;
import io.feathergate.e2e.ProviderFake.ErrorClass;
import io.feathergate.e2e.ProviderFake.StreamFailure;
import io.feathergate.e2e.ProviderFake.ToolCall;
import io.feathergate.e2e.ProviderFake.ToolResult;
import io.feathergate.e2e.ProviderFake.UpstreamError;
import io.feathergate.e2e.ProviderFake.Usage;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client of OpenAI's Responses API (the official openai-java SDK) notices of any provider
 * bridged through chat behind {@code /v1/responses}: answers, streams whose events form a valid
 * sequence with consistent ids, a function-call round trip continued by {@code
 * previous_response_id} from the gateway's store, and errors. Run against every provider's fake
 * upstream, each checking requests as the real API does; OpenAI and Azure here are bridged too
 * ({@code use_chat_completions_api}), their pass-through is {@link ResponsesE2ETest}'s.
 */
class ResponsesContractTest {
  static final String PROMPT = ProviderContractTest.PROMPT;
  static final Usage USAGE = ProviderContractTest.USAGE;
  static final List<String> DELTAS = ProviderContractTest.DELTAS;
  static final ToolCall WEATHER_CALL = ProviderContractTest.WEATHER_CALL;
  static final String TOOL_OUTPUT = ProviderContractTest.TOOL_OUTPUT;

  static final Map<String, FakeUpstream> upstreams = new LinkedHashMap<>();
  static GatewayServer gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    gateway =
        GatewayServer.start(
            ProviderContractTest.startUpstreams(
                upstreams,
                fake ->
                    fake instanceof OpenAiFake || fake instanceof AzureFake
                        ? Map.of("use_chat_completions_api", "true")
                        : Map.of()));
    client = ClientSide.sdk(gateway, "unused");
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

  static ResponseCreateParams.Builder params(ProviderFake fake) {
    return ResponseCreateParams.builder().model(fake.name()).input(PROMPT);
  }

  static FunctionTool weatherTool() {
    return FunctionTool.builder()
        .name(WEATHER_CALL.name())
        .description("The current weather in a city")
        .parameters(
            FunctionTool.Parameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty(
                    "properties",
                    JsonValue.from(
                        Map.of(
                            "location", Map.of("type", "string"),
                            "units", Map.of("type", "string"))))
                .build())
        .strict(false)
        .build();
  }

  static String text(Response response) {
    return response.output().stream()
        .flatMap(item -> item.message().stream())
        .flatMap(message -> message.content().stream())
        .flatMap(content -> content.outputText().stream())
        .map(ResponseOutputText::text)
        .collect(Collectors.joining());
  }

  static List<ResponseFunctionToolCall> calls(Response response) {
    return response.output().stream().flatMap(item -> item.functionCall().stream()).toList();
  }

  static Response streamed(ResponseCreateParams params) {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    return accumulator.response();
  }

  static String streamBody(ProviderFake fake) {
    return "{\"model\":\"" + fake.name() + "\",\"stream\":true,\"input\":\"" + PROMPT + "\"}";
  }

  /**
   * Checks a Responses stream as a strict client would: every event named as its type, sequence
   * numbers counting from 0, created and in_progress first, one terminal event last, the same
   * response id throughout, and every item event about an item added before it and not yet done.
   */
  static void assertValidSequence(List<Event> events, String terminal) {
    assertThat(events).isNotEmpty();
    for (int i = 0; i < events.size(); i++) {
      JsonNode data = events.get(i).json();
      assertThat(data.path("type").asText()).isEqualTo(events.get(i).name());
      assertThat(data.path("sequence_number").asInt(-1)).as("event %d", i).isEqualTo(i);
    }
    assertThat(events.get(0).name()).isEqualTo("response.created");
    assertThat(events.get(1).name()).isEqualTo("response.in_progress");
    assertThat(events.get(events.size() - 1).name()).isEqualTo(terminal);
    String id = events.get(0).json().at("/response/id").asText();
    assertThat(id).startsWith("resp_");
    Map<Integer, String> open = new LinkedHashMap<>();
    Set<String> done = new HashSet<>();
    for (Event event : events) {
      JsonNode data = event.json();
      if (data.has("response")) {
        assertThat(data.at("/response/id").asText()).isEqualTo(id);
      }
      switch (event.name()) {
        case "response.output_item.added" -> {
          assertThat(open).doesNotContainKey(data.path("output_index").asInt());
          open.put(data.path("output_index").asInt(), data.at("/item/id").asText());
        }
        case "response.output_item.done" -> {
          String itemId = open.remove(data.path("output_index").asInt());
          assertThat(data.at("/item/id").asText()).isEqualTo(itemId);
          done.add(itemId);
        }
        default -> {
          if (data.has("item_id")) {
            assertThat(open.get(data.path("output_index").asInt()))
                .as(event.name())
                .isEqualTo(data.path("item_id").asText());
          }
        }
      }
    }
    assertThat(open).as("items never done").isEmpty();
    JsonNode last = events.get(events.size() - 1).json();
    for (JsonNode item : last.at("/response/output")) {
      assertThat(done).contains(item.path("id").asText());
    }
  }

  // ---------------------------------------------------------------- answers

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void textAnswer(ProviderFake fake) throws Exception {
    FakeUpstream upstream =
        answer(fake, (request, reply) -> fake.answerText(request, reply, "Sunny in Paris.", USAGE));

    Response response = client.responses().create(params(fake).build());

    assertThat(text(response)).isEqualTo("Sunny in Paris.");
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(response.id()).startsWith("resp_");
    assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(USAGE.prompt());
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(USAGE.completion());
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(fake.receivedKey(sent)).isEqualTo(fake.apiKey());
    assertThat(fake.askedForStream(sent)).isFalse();
    assertThat(fake.lastUserText(sent)).isEqualTo(PROMPT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void streamedTextIsAValidSequence(ProviderFake fake) throws Exception {
    FakeUpstream upstream = ProviderContractTest.answerStreamOn(upstreams, fake, DELTAS);

    Response response = streamed(params(fake).build());
    HttpResponse<String> raw = ClientSide.postTo(gateway, "/v1/responses", streamBody(fake));

    assertThat(text(response)).isEqualTo(String.join("", DELTAS));
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(USAGE.completion());
    assertThat(fake.askedForStream(upstream.takeRequest())).isTrue();
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<Event> events = ClientSide.events(raw.body());
    assertValidSequence(events, "response.completed");
    String deltas =
        events.stream()
            .filter(e -> e.name().equals("response.output_text.delta"))
            .map(e -> e.json().path("delta").asText())
            .collect(Collectors.joining());
    assertThat(deltas).isEqualTo(String.join("", DELTAS));
  }

  // ---------------------------------------------------------------- tools

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void functionCallRoundTripContinuedFromTheStore(ProviderFake fake) throws Exception {
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

    Response first = client.responses().create(params(fake).addTool(weatherTool()).build());

    List<ResponseFunctionToolCall> calls = calls(first);
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).name()).isEqualTo("get_weather");
    assertThat(ClientSide.parse(calls.get(0).arguments()))
        .isEqualTo(ClientSide.parse(WEATHER_CALL.arguments()));
    assertThat(fake.declaredTools(upstream.takeRequest())).containsExactly("get_weather");

    Response second =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model(fake.name())
                    .previousResponseId(first.id())
                    .addTool(weatherTool())
                    .inputOfResponse(
                        List.of(
                            ResponseInputItem.ofFunctionCallOutput(
                                ResponseInputItem.FunctionCallOutput.builder()
                                    .callId(calls.get(0).callId())
                                    .output(TOOL_OUTPUT)
                                    .build())))
                    .build());

    assertThat(text(second)).isEqualTo("It is 18°C and sunny in Paris.");
    FakeUpstream.Received sent = upstream.takeRequest();
    ToolResult result = fake.toolResult(sent);
    assertThat(result.content()).contains(TOOL_OUTPUT);
    if (result.callId() != null) {
      assertThat(result.callId()).isEqualTo(calls.get(0).callId());
    }
    // the first turn came from the store: the prompt went up again
    assertThat(sent.body()).contains(PROMPT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void streamedFunctionCall(ProviderFake fake) throws Exception {
    answer(fake, (request, reply) -> fake.streamToolCall(request, reply, WEATHER_CALL, USAGE));

    Response response = streamed(params(fake).addTool(weatherTool()).build());
    HttpResponse<String> raw =
        ClientSide.postTo(
            gateway,
            "/v1/responses",
            "{\"model\":\""
                + fake.name()
                + "\",\"stream\":true,\"input\":\""
                + PROMPT
                + "\",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\","
                + "\"parameters\":{\"type\":\"object\"}}]}");

    List<ResponseFunctionToolCall> calls = calls(response);
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).name()).isEqualTo("get_weather");
    assertThat(ClientSide.parse(calls.get(0).arguments()))
        .isEqualTo(ClientSide.parse(WEATHER_CALL.arguments()));
    assertThat(text(response)).isEmpty();
    List<Event> events = ClientSide.events(raw.body());
    assertValidSequence(events, "response.completed");
    assertThat(events).anyMatch(e -> e.name().equals("response.function_call_arguments.delta"));
  }

  // ---------------------------------------------------------------- errors

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providersAndErrors")
  void errorBeforeTheFirstByte(ProviderFake fake, ErrorClass kind) {
    UpstreamError error = fake.error(kind, false);
    answer(
        fake,
        (request, reply) ->
            reply.whole(error.status(), error.contentType(), error.body(), error.headers()));

    assertThatThrownBy(() -> client.responses().create(params(fake).build()))
        .isInstanceOfSatisfying(
            OpenAIServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(kind.clientStatus);
              assertThat(e.getMessage()).contains(error.client().messageParts());
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.feathergate.e2e.ProviderContractTest#providers")
  void failureMidStreamEndsWithResponseFailed(ProviderFake fake) throws Exception {
    StreamFailure failure = fake.streamFailure();
    answer(
        fake,
        (request, reply) -> {
          fake.startStream(request, reply, USAGE);
          fake.streamText(reply, "Partial answer");
          fake.sendStreamFailure(reply, failure);
          reply.endStream();
        });

    HttpResponse<String> response = ClientSide.postTo(gateway, "/v1/responses", streamBody(fake));

    assertThat(response.statusCode()).isEqualTo(200);
    List<Event> events = ClientSide.events(response.body());
    assertValidSequence(events, "response.failed");
    JsonNode failed = events.get(events.size() - 1).json().path("response");
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.at("/error/message").asText()).contains(failure.client().messageParts());
    assertThat(events).noneMatch(e -> e.name().equals("response.completed"));
  }
}
