package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI client reaching Gemini through the gateway: the official openai-java client talks to
 * FeatherGate in embedded Jetty, FeatherGate talks to a fake Gemini that checks requests the way
 * the real API does (roles, key header, object function responses, thought signatures) and answers
 * with recorded traffic.
 */
class GeminiE2ETest {
  static final String MASTER_KEY = "sk-master-key-for-gemini-tests";
  static final String GEMINI_KEY = "AIza-test-gemini-key";
  static final ObjectMapper JSON = new ObjectMapper();

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static OpenAIClient client;

  /** Signatures the fake Gemini handed out: only these (or Google's skip value) come back. */
  static final Set<String> issuedSignatures = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    String base = upstream.baseUrl().replace("/v1", "");
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: gemini-flash
                litellm_params:
                  model: gemini/gemini-2.5-flash
                  api_base: %1$s
                  api_key: %2$s
                  max_retries: 0
              - model_name: gemini-pro-3
                litellm_params:
                  model: gemini/gemini-3-pro-preview
                  api_base: %1$s
                  api_key: %2$s
                  max_retries: 0
              - model_name: gemini-wrong-key
                litellm_params:
                  model: gemini/gemini-2.5-flash
                  api_base: %1$s
                  api_key: AIza-not-the-right-one
                  max_retries: 0
            general_settings:
              master_key: %3$s
            """
                .formatted(base, GEMINI_KEY, MASTER_KEY));
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(gateway.baseUrl() + "/v1")
            .apiKey(MASTER_KEY)
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

  // ---------------------------------------------------------------- the fake Gemini

  /** What the fake answers once a request has passed the checks the real API makes. */
  @FunctionalInterface
  interface Answer {
    void answer(JsonNode request, FakeUpstream.Reply reply) throws IOException;
  }

  static void gemini(Answer answer) {
    upstream.respondWith(
        (request, reply) -> {
          String problem = check(request);
          if (problem != null) {
            String[] statusAndBody = problem.split(" ", 2);
            reply.json(Integer.parseInt(statusAndBody[0]), statusAndBody[1]);
            return;
          }
          answer.answer(JSON.readTree(request.body()), reply);
        });
  }

  /** The real API's answers to malformed requests, as "status body", or null when it is fine. */
  static String check(FakeUpstream.Received request) throws IOException {
    if (request.path().contains("key=")) {
      return error(400, "INVALID_ARGUMENT", "API key must be sent in the x-goog-api-key header");
    }
    if (!request
        .path()
        .matches("/v1beta/models/[\\w.-]+:(generateContent|streamGenerateContent\\?alt=sse)")) {
      return error(404, "NOT_FOUND", "unknown method " + request.path());
    }
    String key = request.headers().get("x-goog-api-key");
    if (key == null) {
      return error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers");
    }
    if (!key.equals(GEMINI_KEY)) {
      return "400 {\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]}}";
    }
    JsonNode body = JSON.readTree(request.body());
    for (String field : iterable(body.fieldNames())) {
      if (!Set.of(
              "contents",
              "systemInstruction",
              "tools",
              "toolConfig",
              "generationConfig",
              "safetySettings")
          .contains(field)) {
        return error(
            400,
            "INVALID_ARGUMENT",
            "Invalid JSON payload received. Unknown name \\\"" + field + "\\\"");
      }
    }
    boolean gemini3 = request.path().contains("gemini-3");
    JsonNode contents = body.path("contents");
    for (int i = 0; i < contents.size(); i++) {
      JsonNode turn = contents.get(i);
      String role = turn.path("role").asText();
      if (!role.equals("user") && !role.equals("model")) {
        return error(400, "INVALID_ARGUMENT", "Please use a valid role: user, model.");
      }
      boolean firstCall = true;
      for (int j = 0; j < turn.path("parts").size(); j++) {
        JsonNode part = turn.get("parts").get(j);
        if (part.has("functionResponse") && !part.at("/functionResponse/response").isObject()) {
          return error(
              400,
              "INVALID_ARGUMENT",
              "Invalid value at 'contents["
                  + i
                  + "].parts["
                  + j
                  + "].function_response.response' (type.googleapis.com/google.protobuf.Struct)");
        }
        if (part.has("functionCall") && gemini3 && firstCall) {
          String signature = part.path("thoughtSignature").asText(null);
          if (signature == null
              || !(issuedSignatures.contains(signature)
                  || signature.equals("skip_thought_signature_validator"))) {
            return error(
                400,
                "INVALID_ARGUMENT",
                "Function call is missing a thought_signature in functionCall parts.");
          }
          firstCall = false;
        }
      }
    }
    return null;
  }

  static String error(int status, String name, String message) {
    return status
        + " {\"error\":{\"code\":"
        + status
        + ",\"message\":\""
        + message
        + "\",\"status\":\""
        + name
        + "\"}}";
  }

  static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
    return () -> iterator;
  }

  /** Streams responses as Gemini does: {@code data: <json>\r\n\r\n}, one write each. */
  static void stream(FakeUpstream.Reply reply, String... events) throws IOException {
    reply.startStream();
    for (String event : events) {
      reply.chunk("data: " + event + "\r\n\r\n");
    }
    reply.endStream();
  }

  static String recordedSegment(String recording, int interaction, int segment) {
    try {
      return JSON.readTree(Fixtures.read("gemini/js-genai-recordings/" + recording + ".json"))
          .get("interactions")
          .get(interaction)
          .get("response")
          .get("bodySegments")
          .get(segment)
          .toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<String> recordedSegments(String recording, int interaction) {
    List<String> segments = new ArrayList<>();
    try {
      JSON.readTree(Fixtures.read("gemini/js-genai-recordings/" + recording + ".json"))
          .get("interactions")
          .get(interaction)
          .get("response")
          .get("bodySegments")
          .forEach(s -> segments.add(s.toString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return segments;
  }

  static String candidate(String parts, String finishReason, String usage) {
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
        + parts
        + "]}"
        + (finishReason == null ? "" : ",\"finishReason\":\"" + finishReason + "\"")
        + ",\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-e2e\""
        + (usage == null ? "" : ",\"usageMetadata\":" + usage)
        + "}";
  }

  static String functionCall(String name, String args, String signature) {
    return "{\"functionCall\":{\"name\":\""
        + name
        + "\",\"args\":"
        + args
        + "}"
        + (signature == null ? "" : ",\"thoughtSignature\":\"" + signature + "\"")
        + "}";
  }

  // ---------------------------------------------------------------- client helpers

  static final ChatCompletionFunctionTool DIVIDE =
      ChatCompletionFunctionTool.builder()
          .function(
              FunctionDefinition.builder()
                  .name("customDivide")
                  .description("Custom divide function")
                  .parameters(
                      FunctionParameters.builder()
                          .putAdditionalProperty("type", JsonValue.from("object"))
                          .putAdditionalProperty(
                              "properties",
                              JsonValue.from(
                                  Map.of(
                                      "numerator", Map.of("type", "number"),
                                      "denominator", Map.of("type", "number"))))
                          .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                          .build())
                  .build())
          .build();

  static ChatCompletionCreateParams.Builder params(String model, String userText) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(userText);
  }

  static List<ChatCompletionChunk> streamAll(ChatCompletionCreateParams params) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    return chunks;
  }

  static String text(List<ChatCompletionChunk> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    return text.toString();
  }

  static List<String> finishReasons(List<ChatCompletionChunk> chunks) {
    List<String> reasons = new ArrayList<>();
    chunks.forEach(
        c ->
            c.choices().forEach(ch -> ch.finishReason().ifPresent(f -> reasons.add(f.asString()))));
    return reasons;
  }

  static ChatCompletionMessageFunctionToolCall onlyCall(ChatCompletionMessage message) {
    List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElseThrow();
    assertThat(calls).hasSize(1);
    return calls.get(0).asFunction();
  }

  // ---------------------------------------------------------------- text

  @Test
  void textAnswerWithSystemInstructionUsageAndGeminisIds() throws Exception {
    gemini(
        (request, reply) ->
            reply.json(
                200,
                recordedSegment(
                    "Client_Tests_generateContent_ML_Dev_should_generate_content_with_system_instruction",
                    0,
                    0)));

    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gemini-flash")
                    .addSystemMessage("I say high you say low")
                    .addUserMessage("high")
                    .build());

    assertThat(completion.choices().get(0).message().content()).contains("low");
    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("stop");
    assertThat(completion.id()).isEqualTo("hi77aOvyCJ-jvr0P8syDgQw");
    assertThat(completion.model()).isEqualTo("gemini-2.5-flash");
    assertThat(completion.usage().get().promptTokens()).isEqualTo(9);
    assertThat(completion.usage().get().completionTokens()).as("answer + thoughts").isEqualTo(21);
    assertThat(completion.usage().get().totalTokens()).isEqualTo(30);
    assertThat(completion.usage().get().completionTokensDetails().get().reasoningTokens())
        .contains(20L);

    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.headers()).containsEntry("x-goog-api-key", GEMINI_KEY);
    assertThat(sent.headers()).doesNotContainKey("authorization");
    JsonNode body = JSON.readTree(sent.body());
    assertThat(body.at("/systemInstruction/parts/0/text").asText())
        .isEqualTo("I say high you say low");
    assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
  }

  @Test
  void usageIsCumulativeNotSummed() {
    String recording =
        "Client_Tests_generateContentStream_ML_Dev_should_stream_generate_content_with_system_instruction";
    List<String> segments = recordedSegments(recording, 0);
    gemini((request, reply) -> stream(reply, segments.toArray(String[]::new)));

    List<ChatCompletionChunk> chunks =
        streamAll(
            params("gemini-flash", "high")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build());

    assertThat(text(chunks)).startsWith("low!\n\nThe sky is blue").endsWith(" rather than violet.");
    assertThat(finishReasons(chunks)).containsExactly("stop");
    List<ChatCompletionChunk> withUsage =
        chunks.stream().filter(c -> c.usage().isPresent()).toList();
    assertThat(withUsage).hasSize(1);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    // the last event's figures (253 + 260 thoughts), not the sum over six events
    assertThat(last.usage().get().completionTokens()).isEqualTo(513);
    assertThat(last.usage().get().totalTokens()).isEqualTo(533);
    assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly("tS77aIl-4ZvV7w_A9rTBBg");
  }

  @Test
  void noUsageChunkWhenNotAsked() {
    gemini(
        (request, reply) ->
            stream(
                reply,
                candidate(
                    "{\"text\":\"Hi\"}",
                    "STOP",
                    "{\"promptTokenCount\":2,\"candidatesTokenCount\":1,\"totalTokenCount\":3}")));
    List<ChatCompletionChunk> chunks = streamAll(params("gemini-flash", "hello").build());
    assertThat(text(chunks)).isEqualTo("Hi");
    assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isEmpty());
  }

  @Test
  void streamRequestsUseAltSse() throws Exception {
    gemini((request, reply) -> stream(reply, candidate("{\"text\":\"ok\"}", "STOP", null)));
    streamAll(params("gemini-flash", "hello").build());
    assertThat(upstream.takeRequest().path())
        .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  }

  // ---------------------------------------------------------------- tools

  @Test
  void geminiToolCallsFinishAsToolCallsNotStop_litellm21041() throws Exception {
    gemini(
        (request, reply) ->
            reply.json(
                200,
                candidate(
                    functionCall("customDivide", "{\"numerator\":100,\"denominator\":2}", null),
                    "STOP",
                    null)));

    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(params("gemini-flash", "100/2?").addTool(DIVIDE).build());

    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    ChatCompletionMessageFunctionToolCall call = onlyCall(completion.choices().get(0).message());
    assertThat(call.function().name()).isEqualTo("customDivide");
    assertThat(JSON.readTree(call.function().arguments()))
        .isEqualTo(JSON.readTree("{\"numerator\":100,\"denominator\":2}"));
    assertThat(call.id()).startsWith("call_");
    JsonNode declaration =
        JSON.readTree(upstream.takeRequest().body()).at("/tools/0/functionDeclarations/0");
    assertThat(declaration.get("name").asText()).isEqualTo("customDivide");
    assertThat(declaration.at("/parametersJsonSchema/properties/numerator/type").asText())
        .isEqualTo("number");
  }

  @Test
  void parallelCallsGetDistinctIndices_litellm16194() {
    gemini(
        (request, reply) ->
            stream(
                reply,
                candidate(
                    functionCall("customDivide", "{\"numerator\":10,\"denominator\":2}", null)
                        + ","
                        + functionCall("customDivide", "{\"numerator\":9,\"denominator\":3}", null),
                    null,
                    null),
                candidate(
                    functionCall("customDivide", "{\"numerator\":8,\"denominator\":4}", null),
                    "STOP",
                    null)));

    List<ChatCompletionChunk> chunks =
        streamAll(params("gemini-flash", "three divisions").addTool(DIVIDE).build());

    List<Long> indices = new ArrayList<>();
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    for (ChatCompletionChunk chunk : chunks) {
      accumulator.accumulate(chunk);
      chunk
          .choices()
          .forEach(
              c ->
                  c.delta()
                      .toolCalls()
                      .ifPresent(calls -> calls.forEach(t -> indices.add(t.index()))));
    }
    assertThat(indices).containsExactly(0L, 1L, 2L);
    assertThat(finishReasons(chunks)).containsExactly("tool_calls");
    List<ChatCompletionMessageToolCall> calls =
        accumulator.chatCompletion().choices().get(0).message().toolCalls().orElseThrow();
    assertThat(calls).hasSize(3);
    assertThat(calls)
        .extracting(c -> c.asFunction().function().arguments())
        .containsExactly(
            "{\"numerator\":10,\"denominator\":2}",
            "{\"numerator\":9,\"denominator\":3}",
            "{\"numerator\":8,\"denominator\":4}");
    assertThat(calls).extracting(c -> c.asFunction().id()).doesNotHaveDuplicates();
  }

  @Test
  void parallelCallsWithoutStreaming() {
    gemini(
        (request, reply) ->
            reply.json(
                200,
                candidate(
                    functionCall("customDivide", "{\"numerator\":10,\"denominator\":2}", null)
                        + ","
                        + functionCall("customDivide", "{\"numerator\":9,\"denominator\":3}", null),
                    "STOP",
                    null)));
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(params("gemini-flash", "two divisions").addTool(DIVIDE).build());
    assertThat(completion.choices().get(0).message().toolCalls().orElseThrow()).hasSize(2);
    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
  }

  @Test
  void toolRoundTripRestoresTheThoughtSignature_gemini3() throws Exception {
    String signature = "CiQBVKhc7gVNlWrmzW9MEk/bjBDPDpxUEY9TBFuB8vn6CVji+test==";
    issuedSignatures.add(signature);
    gemini(
        (request, reply) -> {
          JsonNode contents = request.get("contents");
          if (contents.size() == 1) {
            reply.json(
                200,
                candidate(
                    functionCall("customDivide", "{\"numerator\":10,\"denominator\":2}", signature),
                    "STOP",
                    null));
          } else {
            reply.json(200, candidate("{\"text\":\"The result is 5.\"}", "STOP", null));
          }
        });

    ChatCompletionCreateParams.Builder conversation =
        params("gemini-pro-3", "Divide 10 by 2").addTool(DIVIDE);
    ChatCompletion first = client.chat().completions().create(conversation.build());
    ChatCompletionMessage assistant = first.choices().get(0).message();
    String callId = onlyCall(assistant).id();
    upstream.takeRequest();

    ChatCompletion second =
        client
            .chat()
            .completions()
            .create(
                conversation
                    .addMessage(assistant)
                    .addMessage(
                        ChatCompletionToolMessageParam.builder()
                            .toolCallId(callId)
                            .content("{\"output\": 5}")
                            .build())
                    .build());

    assertThat(second.choices().get(0).message().content()).contains("The result is 5.");
    JsonNode sent = JSON.readTree(upstream.takeRequest().body());
    assertThat(sent.at("/contents/1/role").asText()).isEqualTo("model");
    assertThat(sent.at("/contents/1/parts/0/thoughtSignature").asText()).isEqualTo(signature);
    assertThat(sent.at("/contents/2/parts/0/functionResponse/name").asText())
        .isEqualTo("customDivide");
    assertThat(sent.at("/contents/2/parts/0/functionResponse/response/output").asInt())
        .isEqualTo(5);
  }

  @Test
  void toolRoundTripRestoresTheThoughtSignatureWhenStreamed_gemini3() throws Exception {
    String signature = "Ci0BVKhc7nIrgrUl8wn5Fa1LO39HZv3wxT/stream==";
    issuedSignatures.add(signature);
    gemini(
        (request, reply) -> {
          if (request.get("contents").size() == 1) {
            stream(
                reply,
                candidate(
                    functionCall("customDivide", "{\"numerator\":42,\"denominator\":2}", signature),
                    "STOP",
                    null));
          } else {
            stream(reply, candidate("{\"text\":\"21\"}", "STOP", null));
          }
        });

    ChatCompletionCreateParams.Builder conversation =
        params("gemini-pro-3", "Divide 42 by 2").addTool(DIVIDE);
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    streamAll(conversation.build()).forEach(accumulator::accumulate);
    ChatCompletionMessage assistant = accumulator.chatCompletion().choices().get(0).message();
    String callId = onlyCall(assistant).id();
    upstream.takeRequest();

    List<ChatCompletionChunk> answer =
        streamAll(
            conversation
                .addMessage(assistant)
                .addMessage(
                    ChatCompletionToolMessageParam.builder()
                        .toolCallId(callId)
                        .content("21")
                        .build())
                .build());

    assertThat(text(answer)).isEqualTo("21");
    JsonNode sent = JSON.readTree(upstream.takeRequest().body());
    assertThat(sent.at("/contents/1/parts/0/thoughtSignature").asText()).isEqualTo(signature);
    // a plain-text tool result is wrapped: Gemini wants an object
    assertThat(sent.at("/contents/2/parts/0/functionResponse/response/content").asText())
        .isEqualTo("21");
  }

  @Test
  void aHistoryWithoutSignaturesStillReachesGemini3() throws Exception {
    gemini((request, reply) -> reply.json(200, candidate("{\"text\":\"4\"}", "STOP", null)));
    String body =
        """
        {"model":"gemini-pro-3","messages":[
          {"role":"user","content":"2+2"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_from_claude","type":"function",
            "function":{"name":"add","arguments":"{\\"a\\":2,\\"b\\":2}"}}]},
          {"role":"tool","tool_call_id":"toolu_from_claude","content":"4"}]}""";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + MASTER_KEY)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(
            JSON.readTree(upstream.takeRequest().body())
                .at("/contents/1/parts/0/thoughtSignature")
                .asText())
        .isEqualTo("skip_thought_signature_validator");
  }

  @Test
  void anUnknownToolCallIdIsA400BeforeGeminiIsCalled() {
    gemini((request, reply) -> reply.json(200, candidate("{\"text\":\"never\"}", "STOP", null)));
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        params("gemini-flash", "x")
                            .addMessage(
                                ChatCompletionToolMessageParam.builder()
                                    .toolCallId("call_unknown")
                                    .content("1")
                                    .build())
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("call_unknown"));
    assertThat(upstream.requestsReceived()).isZero();
  }

  // ---------------------------------------------------------------- images

  @Test
  void imagesGoInlineOrByReferenceAndAreNeverFetchedByTheGateway() throws Exception {
    gemini(
        (request, reply) ->
            reply.json(200, candidate("{\"text\":\"A cat and a dog.\"}", "STOP", null)));
    String png =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gemini-flash")
                    .addUserMessageOfArrayOfContentParts(
                        List.of(
                            ChatCompletionContentPart.ofText(
                                ChatCompletionContentPartText.builder()
                                    .text("What is in these?")
                                    .build()),
                            ChatCompletionContentPart.ofImageUrl(
                                ChatCompletionContentPartImage.builder()
                                    .imageUrl(
                                        ChatCompletionContentPartImage.ImageUrl.builder()
                                            .url("data:image/png;base64," + png)
                                            .build())
                                    .build()),
                            ChatCompletionContentPart.ofImageUrl(
                                ChatCompletionContentPartImage.builder()
                                    .imageUrl(
                                        ChatCompletionContentPartImage.ImageUrl.builder()
                                            .url("https://images.example/dog.webp")
                                            .build())
                                    .build())))
                    .build());
    assertThat(completion.choices().get(0).message().content()).contains("A cat and a dog.");
    JsonNode parts = JSON.readTree(upstream.takeRequest().body()).at("/contents/0/parts");
    assertThat(parts.get(1).get("inlineData"))
        .isEqualTo(JSON.readTree("{\"mimeType\":\"image/png\",\"data\":\"" + png + "\"}"));
    assertThat(parts.get(2).get("fileData"))
        .isEqualTo(
            JSON.readTree(
                "{\"mimeType\":\"image/webp\",\"fileUri\":\"https://images.example/dog.webp\"}"));
  }

  // ---------------------------------------------------------------- finish reasons

  @Test
  void finishReasonsMapToOpenAis() {
    gemini(
        (request, reply) -> reply.json(200, candidate("{\"text\":\"cut\"}", "MAX_TOKENS", null)));
    assertThat(
            client
                .chat()
                .completions()
                .create(params("gemini-flash", "x").build())
                .choices()
                .get(0)
                .finishReason()
                .asString())
        .isEqualTo("length");

    gemini((request, reply) -> stream(reply, candidate("{\"text\":\"No\"}", "SAFETY", null)));
    assertThat(finishReasons(streamAll(params("gemini-flash", "x").build())))
        .containsExactly("content_filter");

    // the raw capture as recorded: CRLF framing, a FAKE_ENUM finish reason on the last event
    byte[] unknownEnum = Fixtures.read("gemini/generative-ai-js-mocks/streaming-unknown-enum.txt");
    gemini(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(unknownEnum);
          reply.endStream();
        });
    assertThat(finishReasons(streamAll(params("gemini-flash", "x").build())))
        .containsExactly("stop");
  }

  @Test
  void aBlockedPromptIsAContentFilterFinishWithoutContent() {
    String blocked =
        new String(
            Fixtures.read("gemini/generative-ai-js-mocks/unary-failure-prompt-blocked-safety.json"),
            StandardCharsets.UTF_8);
    gemini((request, reply) -> reply.json(200, blocked));
    ChatCompletion completion =
        client.chat().completions().create(params("gemini-flash", "x").build());
    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().get(0).message().content()).isEmpty();
    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("content_filter");

    gemini(
        (request, reply) ->
            stream(
                reply,
                "{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5}}"));
    List<ChatCompletionChunk> chunks =
        streamAll(
            params("gemini-flash", "x")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build());
    assertThat(finishReasons(chunks)).containsExactly("content_filter");
    assertThat(chunks.get(chunks.size() - 1).usage().get().promptTokens()).isEqualTo(5);
  }

  // ---------------------------------------------------------------- errors

  @Test
  void anErrorEventMidStreamReachesTheClientAfterTheTextBeforeIt() {
    gemini(
        (request, reply) ->
            stream(
                reply,
                candidate("{\"text\":\"Partial answer\"}", null, null),
                "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}"));
    StringBuilder received = new StringBuilder();
    assertThatThrownBy(
            () -> {
              try (StreamResponse<ChatCompletionChunk> stream =
                  client
                      .chat()
                      .completions()
                      .createStreaming(params("gemini-flash", "x").build())) {
                stream.stream()
                    .forEach(
                        c ->
                            c.choices()
                                .forEach(ch -> ch.delta().content().ifPresent(received::append)));
              }
            })
        .isInstanceOf(OpenAIException.class)
        .hasMessageContaining("The model is overloaded");
    assertThat(received.toString()).isEqualTo("Partial answer");
  }

  @Test
  void aBadKeyIsA401() {
    assertThatThrownBy(
            () -> client.chat().completions().create(params("gemini-wrong-key", "x").build()))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(401);
              assertThat(e.getMessage()).contains("API key not valid");
              assertThat(e.getMessage()).doesNotContain("AIza-not-the-right-one");
            });
  }

  @Test
  void resourceExhaustedIsA429WithGeminisRetryDelay() {
    upstream.respondWith(
        (request, reply) ->
            reply.json(
                429,
                "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota.\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"59s\"}]}}"));
    assertThatThrownBy(
            () -> client.chat().completions().create(params("gemini-flash", "x").build()))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("You exceeded your current quota.")
                  .contains("59s");
              assertThat(e.code()).contains("RESOURCE_EXHAUSTED");
            });
  }

  @Test
  void aNotFoundServedAsAnEventStreamIsA404() {
    String body = new String(Fixtures.read("gemini/error_404_body.json"), StandardCharsets.UTF_8);
    upstream.respondWith((request, reply) -> reply.whole(404, "text/event-stream", body));
    assertThatThrownBy(() -> streamAll(params("gemini-flash", "why is the sky blue?").build()))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> assertThat(e.getMessage()).contains("is not found for API version v1beta"));
  }

  @Test
  void theFakeRejectsWhatTheRealApiRejects() throws Exception {
    // the checks the tests above rely on: an assistant role, a key in the URL, a missing key and a
    // non-object function response are all refused
    assertThat(
            check(
                new FakeUpstream.Received(
                    "POST",
                    "/v1beta/models/m:generateContent",
                    Map.of("x-goog-api-key", GEMINI_KEY),
                    "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}")))
        .startsWith("400")
        .contains("valid role");
    assertThat(
            check(
                new FakeUpstream.Received(
                    "POST", "/v1beta/models/m:generateContent?key=" + GEMINI_KEY, Map.of(), "{}")))
        .startsWith("400");
    assertThat(
            check(
                new FakeUpstream.Received(
                    "POST", "/v1beta/models/m:generateContent", Map.of(), "{}")))
        .startsWith("403");
    ObjectNode body = JSON.createObjectNode();
    ArrayNode parts = body.putArray("contents").addObject().put("role", "user").putArray("parts");
    parts.addObject().putObject("functionResponse").put("name", "f").put("response", "5");
    assertThat(
            check(
                new FakeUpstream.Received(
                    "POST",
                    "/v1beta/models/m:generateContent",
                    Map.of("x-goog-api-key", GEMINI_KEY),
                    body.toString())))
        .startsWith("400")
        .contains("function_response.response");
  }
}
