package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.InternalServerException;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.feathergate.e2e.ClientSide.Event;
import io.feathergate.e2e.ProviderFake.ClientError;
import io.feathergate.e2e.ProviderFake.ErrorClass;
import io.feathergate.e2e.ProviderFake.StreamFailure;
import io.feathergate.e2e.ProviderFake.ToolCall;
import io.feathergate.e2e.ProviderFake.ToolResult;
import io.feathergate.e2e.ProviderFake.UpstreamError;
import io.feathergate.e2e.ProviderFake.Usage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an OpenAI client notices of any provider behind the gateway, written once and run against
 * every provider's fake upstream: answers, streams, tool round trips, usage, errors before and
 * after the first byte, clients that leave and upstreams that fall silent. A provider joins by
 * adding its {@link ProviderFake} to {@link #FAKES}; its own quirks stay in its own E2E test.
 */
class ProviderContractTest {
  /**
   * Google's token endpoint, for the Vertex AI fakes' service account; shared by every test of
   * {@link #FAKES} in this JVM.
   */
  static final GoogleTokenEndpoint GOOGLE = new GoogleTokenEndpoint();

  static final List<ProviderFake> FAKES =
      List.of(
          new OpenAiFake(),
          new AnthropicFake(),
          new GeminiFake(),
          new AzureFake(),
          new BedrockFake(),
          new VertexFake(ProviderContractTest.GOOGLE),
          new VertexClaudeFake(ProviderContractTest.GOOGLE),
          new OllamaFake());

  static final String PROMPT = "What is the weather like in Paris?";
  static final Usage USAGE = new Usage(11, 7);
  static final List<String> DELTAS = List.of("Sunny", " and", " 18°C", " in Paris.");
  static final String TOOL_ARGUMENTS = "{\"location\":\"Paris\",\"units\":\"c\"}";
  static final ToolCall WEATHER_CALL = new ToolCall("call_w1", "get_weather", TOOL_ARGUMENTS);
  static final String TOOL_OUTPUT = "18°C and sunny";

  static final Map<String, FakeUpstream> upstreams = new LinkedHashMap<>();
  static GatewayServer gateway;
  static OpenAIClient client;

  /** A silent upstream waits on this instead of answering; each test ends by releasing it. */
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  static void start() throws Exception {
    gateway = GatewayServer.start(startUpstreams(upstreams));
    client = ClientSide.sdk(gateway, "unused");
  }

  /**
   * Starts a fake upstream for every provider of {@link #FAKES} into {@code upstreams}, by name,
   * and returns the gateway config with a group for each, named after it (and a silent one).
   */
  static String startUpstreams(Map<String, FakeUpstream> upstreams) throws Exception {
    return startUpstreams(upstreams, fake -> Map.of());
  }

  /** {@link #startUpstreams(Map)} with more {@code litellm_params} for some fakes. */
  static String startUpstreams(
      Map<String, FakeUpstream> upstreams,
      java.util.function.Function<ProviderFake, Map<String, String>> moreParams)
      throws Exception {
    StringBuilder config = new StringBuilder("model_list:\n");
    for (ProviderFake fake : FAKES) {
      FakeUpstream upstream = new FakeUpstream();
      upstreams.put(fake.name(), upstream);
      StringBuilder params = new StringBuilder();
      Map<String, String> all = new LinkedHashMap<>(fake.litellmParams(upstream.origin()));
      all.putAll(moreParams.apply(fake));
      all.forEach(
          (key, value) ->
              params.append("      ").append(key).append(": ").append(value).append('\n'));
      if (fake.keyParam() != null) {
        params.append("      ").append(fake.keyParam()).append(": ").append(fake.apiKey());
        params.append('\n');
      }
      // every attempt the client causes reaches the fake once: the tests count them
      params.append("      max_retries: 0\n");
      config.append("  - model_name: ").append(fake.name()).append("\n    litellm_params:\n");
      config.append(params);
      config.append("  - model_name: ").append(silent(fake)).append("\n    litellm_params:\n");
      config.append(params).append("      timeout: 1\n      stream_timeout: 1\n");
    }
    // token counts are read back from the metrics
    config.append("litellm_settings:\n  callbacks: [\"prometheus\"]\n");
    return config.toString();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    gateway.close();
    for (FakeUpstream upstream : upstreams.values()) {
      upstream.close();
    }
    // GOOGLE stays up: MessagesContractTest's Vertex AI fakes use it too (its threads are daemons)
  }

  @BeforeEach
  void forgetEarlierTraffic() {
    upstreams.values().forEach(FakeUpstream::forget);
  }

  @AfterEach
  void releaseSilentUpstreams() {
    release.countDown();
  }

  static Stream<Arguments> providers() {
    return FAKES.stream().map(f -> Arguments.of(Named.of(f.name(), f)));
  }

  static Stream<Arguments> providersAndErrors() {
    return FAKES.stream()
        .flatMap(
            f ->
                Stream.of(ErrorClass.values())
                    .map(kind -> Arguments.of(Named.of(f.name(), f), kind)));
  }

  /** The deployment of the same fake whose timeouts are one second. */
  static String silent(ProviderFake fake) {
    return fake.name() + "-silent";
  }

  /** Makes the fake answer, once the request passed the provider's own checks. */
  static FakeUpstream answer(ProviderFake fake, FakeUpstream.Responder responder) {
    return answerOn(upstreams, fake, responder);
  }

  static FakeUpstream answerStream(ProviderFake fake, List<String> deltas) {
    return answerStreamOn(upstreams, fake, deltas);
  }

  /** {@link #answer} on the fakes another test class started ({@link #startUpstreams}). */
  static FakeUpstream answerOn(
      Map<String, FakeUpstream> upstreams, ProviderFake fake, FakeUpstream.Responder responder) {
    FakeUpstream upstream = upstreams.get(fake.name());
    upstream.respondWith(fake.checked(responder));
    return upstream;
  }

  /** A stream of {@code deltas} with {@link #USAGE}, on the fakes of {@code upstreams}. */
  static FakeUpstream answerStreamOn(
      Map<String, FakeUpstream> upstreams, ProviderFake fake, List<String> deltas) {
    return answerOn(
        upstreams,
        fake,
        (request, reply) -> {
          fake.startStream(request, reply, USAGE);
          for (String delta : deltas) {
            fake.streamText(reply, delta);
          }
          fake.endStream(request, reply, USAGE);
        });
  }

  static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(PROMPT);
  }

  static String streamBody(String model) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
        + PROMPT
        + "\"}]}";
  }

  static void assertUsage(CompletionUsage usage) {
    assertThat(usage.promptTokens()).isEqualTo(USAGE.prompt());
    assertThat(usage.completionTokens()).isEqualTo(USAGE.completion());
    assertThat(usage.totalTokens()).isEqualTo(USAGE.total());
  }

  static void assertError(JsonNode error, ClientError expected) {
    assertThat(error.path("type").asText()).as(error.toString()).isEqualTo(expected.type());
    assertThat(error.path("code").asText()).as(error.toString()).isEqualTo(expected.code());
    assertThat(error.path("message").asText()).contains(expected.messageParts());
  }

  /** The text of the content deltas of a raw stream's chunks, one entry a non-empty delta. */
  static List<String> contentPieces(List<Event> events) {
    List<String> pieces = new ArrayList<>();
    for (Event event : events) {
      if (event.name() == null && event.data().startsWith("{")) {
        for (JsonNode choice : event.json().path("choices")) {
          String content = choice.at("/delta/content").asText("");
          if (!content.isEmpty()) {
            pieces.add(content);
          }
        }
      }
    }
    return pieces;
  }

  // ---------------------------------------------------------------- answers

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void textAnswer(ProviderFake fake) throws Exception {
    FakeUpstream upstream =
        answer(fake, (request, reply) -> fake.answerText(request, reply, "Sunny in Paris.", USAGE));

    ChatCompletion completion = client.chat().completions().create(params(fake.name()).build());

    assertThat(completion.choices()).hasSize(1);
    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.message().content()).contains("Sunny in Paris.");
    assertThat(choice.message().toolCalls()).isEmpty();
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(fake.receivedKey(sent)).isEqualTo(fake.apiKey());
    assertThat(fake.askedForStream(sent)).isFalse();
    assertThat(fake.lastUserText(sent)).isEqualTo(PROMPT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void usageOfAWholeAnswer(ProviderFake fake) {
    answer(fake, (request, reply) -> fake.answerText(request, reply, "Sunny.", USAGE));

    ChatCompletion completion = client.chat().completions().create(params(fake.name()).build());

    assertUsage(completion.usage().orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void streamedTextArrivesInOrderAndEndsWithDone(ProviderFake fake) throws Exception {
    FakeUpstream upstream = answerStream(fake, DELTAS);

    HttpResponse<String> response = ClientSide.post(gateway, null, streamBody(fake.name()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    List<Event> events = ClientSide.events(response.body());
    assertThat(events).allSatisfy(e -> assertThat(e.name()).isNull());
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(Event::json).toList();
    assertThat(chunks)
        .extracting(c -> c.path("object").asText())
        .containsOnly("chat.completion.chunk");
    assertThat(chunks)
        .extracting(c -> c.path("id").asText())
        .hasSize(chunks.size())
        .containsOnly(chunks.get(0).path("id").asText());
    assertThat(contentPieces(events)).containsExactlyElementsOf(DELTAS);
    List<String> finishReasons = new ArrayList<>();
    chunks.forEach(
        c ->
            c.path("choices")
                .forEach(
                    ch -> {
                      if (ch.path("finish_reason").isTextual()) {
                        finishReasons.add(ch.path("finish_reason").asText());
                      }
                    }));
    assertThat(finishReasons).containsExactly("stop");
    assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText())
        .isEqualTo("stop");
    // the client did not ask for usage: no chunk carries any, though the upstream reported it
    assertThat(chunks).allSatisfy(c -> assertThat(c.path("usage").isObject()).isFalse());
    assertThat(fake.askedForStream(upstream.takeRequest())).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void tokensTheUpstreamReportsAreCountedThoughTheClientDidNotAskToSeeThem(ProviderFake fake)
      throws Exception {
    String group = "requested_model=\"" + fake.name() + "\"";
    double before = ClientSide.metricSum(gateway, "litellm_total_tokens_total", group);
    answerStream(fake, DELTAS);

    HttpResponse<String> response = ClientSide.post(gateway, null, streamBody(fake.name()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("\"usage\":{");
    double expected = fake.streamsUsageUnasked() ? USAGE.total() : 0.0;
    // recorded before the stream's end goes out, so counted by the time the client has it
    double counted = ClientSide.metricSum(gateway, "litellm_total_tokens_total", group) - before;
    assertThat(counted).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void streamedUsageWhenTheClientAsks(ProviderFake fake) {
    answerStream(fake, DELTAS);

    List<ChatCompletionChunk> chunks =
        ClientSide.streamAll(
            client,
            params(fake.name())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build());

    assertThat(ClientSide.text(chunks)).isEqualTo(String.join("", DELTAS));
    assertThat(ClientSide.finishReasons(chunks)).containsExactly("stop");
    assertThat(chunks.stream().filter(c -> c.usage().isPresent())).hasSize(1);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertUsage(last.usage().orElseThrow());
  }

  // ---------------------------------------------------------------- tools

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
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
    ChatCompletionCreateParams.Builder conversation =
        params(fake.name()).addFunctionTool(ClientSide.WEATHER_TOOL);

    ChatCompletion toolTurn = client.chat().completions().create(conversation.build());

    assertThat(toolTurn.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessage assistant = toolTurn.choices().get(0).message();
    assertThat(assistant.toolCalls().orElseThrow()).hasSize(1);
    ChatCompletionMessageFunctionToolCall call = assistant.toolCalls().get().get(0).asFunction();
    assertThat(call.id()).isNotBlank();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(ClientSide.parse(call.function().arguments()))
        .isEqualTo(ClientSide.parse(TOOL_ARGUMENTS));
    assertThat(fake.declaredTools(upstream.takeRequest())).containsExactly("get_weather");

    ChatCompletion answerTurn =
        client
            .chat()
            .completions()
            .create(
                conversation
                    .addMessage(assistant)
                    .addMessage(
                        ChatCompletionToolMessageParam.builder()
                            .toolCallId(call.id())
                            .content(TOOL_OUTPUT)
                            .build())
                    .build());

    assertThat(answerTurn.choices().get(0).message().content())
        .contains("It is 18°C and sunny in Paris.");
    assertThat(answerTurn.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    ToolResult result = fake.toolResult(upstream.takeRequest());
    assertThat(result).isNotNull();
    assertThat(result.content()).isEqualTo(TOOL_OUTPUT);
    assertThat(result.callId() != null || result.toolName() != null)
        .as("the result names its call")
        .isTrue();
    if (result.callId() != null) {
      assertThat(result.callId()).isEqualTo(call.id());
    }
    if (result.toolName() != null) {
      assertThat(result.toolName()).isEqualTo("get_weather");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void streamedToolCallIsReassembledIntoJsonArguments(ProviderFake fake) {
    answer(fake, (request, reply) -> fake.streamToolCall(request, reply, WEATHER_CALL, USAGE));

    List<ChatCompletionChunk> chunks =
        ClientSide.streamAll(
            client, params(fake.name()).addFunctionTool(ClientSide.WEATHER_TOOL).build());

    assertThat(ClientSide.finishReasons(chunks)).containsExactly("tool_calls");
    ChatCompletionMessage message = ClientSide.accumulate(chunks).choices().get(0).message();
    assertThat(message.toolCalls().orElseThrow()).hasSize(1);
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().get().get(0).asFunction();
    assertThat(call.id()).isNotBlank();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(ClientSide.parse(call.function().arguments()))
        .isEqualTo(ClientSide.parse(TOOL_ARGUMENTS));
  }

  // ---------------------------------------------------------------- errors

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("providersAndErrors")
  void errorBeforeTheFirstByte(ProviderFake fake, ErrorClass kind) throws Exception {
    UpstreamError error = fake.error(kind, false);
    FakeUpstream upstream =
        answer(
            fake,
            (request, reply) ->
                reply.whole(error.status(), error.contentType(), error.body(), error.headers()));

    assertThatThrownBy(() -> client.chat().completions().create(params(fake.name()).build()))
        .isInstanceOfSatisfying(
            kind.sdkException,
            e -> {
              assertThat(e.statusCode()).isEqualTo(kind.clientStatus);
              assertThat(e.type()).contains(error.client().type());
              assertThat(e.code()).contains(error.client().code());
              assertThat(e.getMessage()).contains(error.client().messageParts());
            });
    upstream.takeRequest();
    assertThat(upstream.requestsReceived()).as("not retried").isZero();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("providersAndErrors")
  void errorBeforeTheFirstByteOfAStream(ProviderFake fake, ErrorClass kind) throws Exception {
    UpstreamError error = fake.error(kind, true);
    answer(
        fake,
        (request, reply) ->
            reply.whole(error.status(), error.contentType(), error.body(), error.headers()));

    HttpResponse<String> response = ClientSide.post(gateway, null, streamBody(fake.name()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(kind.clientStatus);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("application/json");
    assertError(ClientSide.parse(response.body()).path("error"), error.client());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void failureMidStreamEndsWithAnErrorEventAndNoDone(ProviderFake fake) throws Exception {
    StreamFailure failure = fake.streamFailure();
    answer(
        fake,
        (request, reply) -> {
          fake.startStream(request, reply, USAGE);
          fake.streamText(reply, "Partial answer");
          fake.sendStreamFailure(reply, failure);
          reply.endStream();
        });

    HttpResponse<String> response = ClientSide.post(gateway, null, streamBody(fake.name()));

    assertThat(response.statusCode()).isEqualTo(200);
    List<Event> events = ClientSide.events(response.body());
    assertThat(contentPieces(events)).containsExactly("Partial answer");
    Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("error");
    assertThat(response.body()).endsWith("\n\n").doesNotContain("[DONE]");
    assertThat(response.body().substring(response.body().lastIndexOf("event: error")))
        .startsWith("event: error\ndata: {\"error\":");
    assertError(last.json().path("error"), failure.client());

    // the official client raises the error after handing over the text that came before it
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    assertThatThrownBy(() -> ClientSide.streamInto(client, params(fake.name()).build(), chunks))
        .isInstanceOf(SseException.class)
        .hasMessageContaining(failure.client().messageParts().get(0));
    assertThat(ClientSide.text(chunks)).isEqualTo("Partial answer");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void clientThatLeavesMidStreamClosesTheUpstreamConnection(ProviderFake fake) throws Exception {
    FakeUpstream upstream = answer(fake, ticksForTenSeconds(fake));

    readUntilThenLeave(gateway, "/v1/chat/completions", streamBody(fake.name()), "tick ");

    assertThat(upstream.awaitPeerClose()).isNotNull();
  }

  /** A stream of "tick " deltas for ten seconds, or until a write fails because nobody reads. */
  static FakeUpstream.Responder ticksForTenSeconds(ProviderFake fake) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    return (request, reply) -> {
      fake.startStream(request, reply, USAGE);
      while (System.nanoTime() < deadline) {
        fake.streamText(reply, "tick ");
      }
      fake.endStream(request, reply, USAGE);
    };
  }

  /**
   * Posts a stream request on a raw connection, reads until {@code marker} arrived, and closes the
   * connection: a client that leaves mid-stream.
   */
  static void readUntilThenLeave(GatewayServer gateway, String path, String body, String marker)
      throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      socket.setSoTimeout(10_000);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buffer = new byte[4096];
      while (!seen.toString().contains(marker)) {
        int read = in.read(buffer);
        assertThat(read).as("the stream ended before " + marker).isPositive();
        seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
      }
    }
  }

  // ---------------------------------------------------------------- timeouts

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void silentUpstreamIsA504TimeoutBeforeTheFirstByte(ProviderFake fake) throws Exception {
    answer(fake, (request, reply) -> release.await(20, TimeUnit.SECONDS));

    assertThatThrownBy(() -> client.chat().completions().create(params(silent(fake)).build()))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(504);
              assertThat(e.type()).contains("timeout");
            });
    HttpResponse<String> stream = ClientSide.post(gateway, null, streamBody(silent(fake)));
    assertThat(stream.statusCode()).as(stream.body()).isEqualTo(504);
    assertThat(ClientSide.parse(stream.body()).at("/error/type").asText()).isEqualTo("timeout");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void upstreamSilentMidStreamEndsWithATimeoutEvent(ProviderFake fake) throws Exception {
    answer(
        fake,
        (request, reply) -> {
          fake.startStream(request, reply, USAGE);
          fake.streamText(reply, "Partial answer");
          release.await(20, TimeUnit.SECONDS);
        });

    HttpResponse<String> response = ClientSide.post(gateway, null, streamBody(silent(fake)));

    assertThat(response.statusCode()).isEqualTo(200);
    List<Event> events = ClientSide.events(response.body());
    assertThat(contentPieces(events)).containsExactly("Partial answer");
    Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("error");
    assertThat(last.json().at("/error/type").asText()).isEqualTo("timeout");
    assertThat(last.json().at("/error/message").asText()).contains("timed out");
    assertThat(response.body()).doesNotContain("[DONE]");
  }
}
