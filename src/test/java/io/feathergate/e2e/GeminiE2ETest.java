package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  static final ObjectMapper JSON = ClientSide.JSON;
  static final GeminiFake GEMINI = new GeminiFake(GEMINI_KEY);

  static GatewayRig rig;
  static FakeUpstream upstream;
  static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    rig =
        GatewayRig.start(
            fake ->
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
                general_settings:
                  master_key: %3$s
                """
                    .formatted(fake.origin(), GEMINI_KEY, MASTER_KEY),
            MASTER_KEY);
    upstream = rig.upstream;
    client = rig.client;
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    upstream.forget();
  }

  // ---------------------------------------------------------------- the fake Gemini

  /** What the fake answers once a request has passed the checks the real API makes. */
  @FunctionalInterface
  interface Answer {
    void answer(JsonNode request, FakeUpstream.Reply reply) throws IOException;
  }

  static void gemini(Answer answer) {
    rig.answer(GEMINI, (request, reply) -> answer.answer(JSON.readTree(request.body()), reply));
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
        ClientSide.streamAll(
            client,
            params("gemini-flash", "high")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build());

    assertThat(ClientSide.text(chunks))
        .startsWith("low!\n\nThe sky is blue")
        .endsWith(" rather than violet.");
    assertThat(ClientSide.finishReasons(chunks)).containsExactly("stop");
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
        ClientSide.streamAll(
            client, params("gemini-flash", "three divisions").addTool(DIVIDE).build());

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
    assertThat(ClientSide.finishReasons(chunks)).containsExactly("tool_calls");
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
    assertThat(completion.choices().get(0).message().toolCalls().orElseThrow())
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.asFunction().id()).startsWith("call_"));
    assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
  }

  @Test
  void toolRoundTripRestoresTheThoughtSignature_gemini3() throws Exception {
    String signature = "CiQBVKhc7gVNlWrmzW9MEk/bjBDPDpxUEY9TBFuB8vn6CVji+test==";
    GEMINI.issuedSignatures.add(signature);
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
    GEMINI.issuedSignatures.add(signature);
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
    ClientSide.streamAll(client, conversation.build()).forEach(accumulator::accumulate);
    ChatCompletionMessage assistant = accumulator.chatCompletion().choices().get(0).message();
    String callId = onlyCall(assistant).id();
    upstream.takeRequest();

    List<ChatCompletionChunk> answer =
        ClientSide.streamAll(
            client,
            conversation
                .addMessage(assistant)
                .addMessage(
                    ChatCompletionToolMessageParam.builder()
                        .toolCallId(callId)
                        .content("21")
                        .build())
                .build());

    assertThat(ClientSide.text(answer)).isEqualTo("21");
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
    HttpResponse<String> response = ClientSide.post(rig.gateway, MASTER_KEY, body);
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
    assertThat(
            ClientSide.finishReasons(
                ClientSide.streamAll(client, params("gemini-flash", "x").build())))
        .containsExactly("content_filter");

    // the raw capture as recorded: CRLF framing, a FAKE_ENUM finish reason on the last event
    byte[] unknownEnum = Fixtures.read("gemini/generative-ai-js-mocks/streaming-unknown-enum.txt");
    gemini(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(unknownEnum);
          reply.endStream();
        });
    assertThat(
            ClientSide.finishReasons(
                ClientSide.streamAll(client, params("gemini-flash", "x").build())))
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
        ClientSide.streamAll(
            client,
            params("gemini-flash", "x")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build());
    assertThat(ClientSide.finishReasons(chunks)).containsExactly("content_filter");
    assertThat(chunks.get(chunks.size() - 1).usage().get().promptTokens()).isEqualTo(5);
  }

  // ---------------------------------------------------------------- errors

  @Test
  void theFakeRejectsWhatTheRealApiRejects() throws Exception {
    // the checks the tests above rely on: an assistant role, a key in the URL, a missing key and a
    // non-object function response are all refused
    Map<String, String> keyed = Map.of("x-goog-api-key", GEMINI_KEY);
    String method = "/v1beta/models/m:generateContent";
    assertThat(
            check(
                method,
                keyed,
                "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}"))
        .startsWith("400")
        .contains("valid role");
    assertThat(check(method + "?key=" + GEMINI_KEY, Map.of(), "{}")).startsWith("400");
    assertThat(check(method, Map.of(), "{}")).startsWith("403");
    ObjectNode body = JSON.createObjectNode();
    ArrayNode parts = body.putArray("contents").addObject().put("role", "user").putArray("parts");
    parts.addObject().putObject("functionResponse").put("name", "f").put("response", "5");
    assertThat(check(method, keyed, body.toString()))
        .startsWith("400")
        .contains("function_response.response");
  }

  private static String check(String path, Map<String, String> headers, String body)
      throws IOException {
    return GEMINI.rules().check(new FakeUpstream.Received("POST", path, headers, body));
  }
}
