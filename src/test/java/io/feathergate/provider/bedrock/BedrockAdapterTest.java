package io.feathergate.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.UpstreamAuth;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.transport.EventStreamDecoder;
import io.feathergate.wire.Json;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockAdapterTest {
  static final BedrockAdapter ADAPTER = new BedrockAdapter(ProviderTable.get("bedrock"));
  static final String MODEL = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";

  static Deployment.Builder iam() {
    return Deployment.builder("d", "g", "bedrock", MODEL)
        .settings(Map.of("aws_access_key_id", "AKIDEXAMPLE", "aws_region_name", "eu-west-1"))
        .secrets(Map.of("aws_secret_access_key", Secret.ofNullable("secret-key-123")));
  }

  static ChatRequest request(String json) {
    return ChatRequests.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static UpstreamRequest send(Deployment deployment, String json) {
    return ADAPTER.toUpstream(request(json), new Route(deployment, MODEL));
  }

  static JsonNode body(UpstreamRequest request) {
    return Json.readOrNull(request.body());
  }

  @Test
  void urlRegionAndSignature() {
    UpstreamRequest request =
        send(
            iam().build(),
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(request.uri())
        .hasToString(
            "https://bedrock-runtime.eu-west-1.amazonaws.com/model/"
                + "us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse");
    UpstreamAuth.AwsSigV4 auth = (UpstreamAuth.AwsSigV4) request.auth();
    assertThat(auth.region()).isEqualTo("eu-west-1");
    assertThat(auth.service()).isEqualTo("bedrock");
    assertThat(auth.toString()).doesNotContain("secret-key-123");
    assertThat(request.headers()).doesNotContainKey("Authorization");
    UpstreamRequest stream =
        send(
            iam().build(),
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(stream.uri().toString()).endsWith("%3A0/converse-stream");
    UpstreamRequest bearer =
        send(
            Deployment.builder("d", "g", "bedrock", MODEL)
                .apiKey(Secret.ofNullable("bedrock-api-key-abc"))
                .build(),
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(bearer.auth()).isNull();
    assertThat(bearer.headers()).containsEntry("Authorization", "Bearer bedrock-api-key-abc");
    assertThat(bearer.uri().getHost()).isEqualTo("bedrock-runtime.us-west-2.amazonaws.com");
    assertThat(
            BedrockEndpoint.region(
                Deployment.builder("d", "g", "bedrock", "x").build(),
                "arn:aws:bedrock:ap-south-1:123:inference-profile/x"))
        .isEqualTo("ap-south-1");
  }

  @Test
  void theConversationBecomesConverseTurns() {
    JsonNode body =
        body(
            send(
                iam().build(),
                """
                {"model":"m","max_tokens":256,"temperature":0.2,"top_p":0.9,"stop":"END","top_k":40,
                 "guardrailConfig":{"guardrailIdentifier":"gr-1","guardrailVersion":"1"},
                 "messages":[
                  {"role":"system","content":"Be terse."},
                  {"role":"user","content":[{"type":"text","text":"Weather?"},
                    {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                    {"type":"file","file":{"filename":"report.v2.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]},
                  {"role":"assistant","content":"","tool_calls":[
                    {"id":"t1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"t2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                  {"role":"tool","tool_call_id":"t1","content":"18C"},
                  {"role":"tool","tool_call_id":"t2","content":"25C"},
                  {"role":"user","content":"And tomorrow?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"d",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
                 "tool_choice":{"type":"function","function":{"name":"get_weather"}}}
                """));
    assertThat(body.path("system").toString()).isEqualTo("[{\"text\":\"Be terse.\"}]");
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).at("/content/1/image/format").asText()).isEqualTo("png");
    assertThat(messages.get(0).at("/content/2/document/format").asText()).isEqualTo("pdf");
    assertThat(messages.get(0).at("/content/2/document/name").asText()).isEqualTo("report-v2");
    // the empty assistant text is left out, the two calls stay
    assertThat(messages.get(1).path("content")).hasSize(2);
    assertThat(messages.get(1).at("/content/0/toolUse/input/city").asText()).isEqualTo("Paris");
    // both tool results and the next user text are one user turn
    JsonNode results = messages.get(2).path("content");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).at("/toolResult/toolUseId").asText()).isEqualTo("t1");
    assertThat(results.get(1).at("/toolResult/content/0/text").asText()).isEqualTo("25C");
    assertThat(results.get(2).path("text").asText()).isEqualTo("And tomorrow?");
    assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(256);
    assertThat(body.at("/inferenceConfig/topP").asDouble()).isEqualTo(0.9);
    assertThat(body.at("/inferenceConfig/stopSequences/0").asText()).isEqualTo("END");
    assertThat(body.at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("get_weather");
    assertThat(body.at("/toolConfig/tools/0/toolSpec/inputSchema/json/type").asText())
        .isEqualTo("object");
    assertThat(body.at("/guardrailConfig/guardrailIdentifier").asText()).isEqualTo("gr-1");
    assertThat(body.at("/additionalModelRequestFields/top_k").asInt()).isEqualTo(40);
  }

  @Test
  void whatConverseCannotTakeIsA400() {
    assertThatThrownBy(
            () ->
                send(
                    iam().build(),
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                        + "\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}"))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.getMessage()).contains("data: URL"));
    String none =
        "{\"model\":\"m\",\"tool_choice\":\"none\",\"tools\":[{\"type\":\"function\","
            + "\"function\":{\"name\":\"f\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    assertThatThrownBy(() -> send(iam().build(), none))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("tool_choice"));
    assertThat(body(send(iam().dropParams(true).build(), none)).at("/toolConfig").has("toolChoice"))
        .isFalse();
    assertThatThrownBy(
            () ->
                send(
                    iam().build(),
                    "{\"model\":\"m\",\"logprobs\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("logprobs"));
  }

  static StreamContext context(boolean includeUsage) {
    String json =
        "{\"model\":\"m\",\"stream\":true"
            + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    return new StreamContext(request(json), MODEL, "chatcmpl-gw", 1_700_000_000L, () -> "call_1");
  }

  @Test
  void aWholeAnswerWithToolsAndCacheUsage() {
    byte[] answer =
        ("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Let me"
                + " check.\"},{\"toolUse\":{\"toolUseId\":\"tooluse_x\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Paris\"}}}]}},\"stopReason\":\"tool_use\",\"usage\":"
                + "{\"inputTokens\":12,\"outputTokens\":57,\"totalTokens\":469,"
                + "\"cacheReadInputTokens\":400,\"cacheWriteInputTokens\":0},\"metrics\":{}}")
            .getBytes(StandardCharsets.UTF_8);
    JsonNode completion = Json.readOrNull(ADAPTER.fromUpstream(answer, context(false)).json());
    assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Let me check.");
    assertThat(completion.at("/choices/0/message/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(412);
    assertThat(completion.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(400);
    assertThat(completion.at("/usage/total_tokens").asInt()).isEqualTo(469);
    assertThat(ConverseAnswers.finishReason("guardrail_intervened")).isEqualTo("content_filter");
    assertThat(ConverseAnswers.finishReason("max_tokens")).isEqualTo("length");
    assertThat(ConverseAnswers.finishReason("model_context_window_exceeded")).isEqualTo("length");
  }

  @Test
  void errorsAreMappedByTheirExceptionName() {
    assertThat(error(400, "ValidationException", "Input is too long for requested model.").code())
        .isEqualTo("context_length_exceeded");
    GatewayException throttled = error(429, "ThrottlingException", "slow down");
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.retryable()).isTrue();
    assertThat(error(429, "ModelNotReadyException", "warming").status()).isEqualTo(503);
    assertThat(error(403, "AccessDeniedException", "no access").status()).isEqualTo(403);
    assertThat(error(403, "UnrecognizedClientException", "bad token").status()).isEqualTo(401);
    assertThat(error(424, "ModelErrorException", "model broke").status()).isEqualTo(502);
  }

  @Test
  void anExceptionTypeWithNoNameInItIsAnUpstreamErrorNotACrash() {
    // found by fuzzing: a type ending in '#' left an empty name, whose first letter was read
    for (String type : new String[] {"com.amazon.bedrock#", ":http://internal", "#"}) {
      GatewayException inAnAnswer =
          ADAPTER.toError(
              500,
              Map.of("x-amzn-errortype", type),
              "{\"message\":\"broken\"}".getBytes(StandardCharsets.UTF_8));
      assertThat(inAnAnswer.getMessage()).isEqualTo("broken");
      StreamDecoder decoder = ADAPTER.newStreamDecoder(context(false));
      List<String> out = new ArrayList<>();
      decoder.onEvent(new SseEvent("messageStart", "{\"role\":\"assistant\"}", "event"), out);
      assertThatThrownBy(
              () -> decoder.onEvent(new SseEvent(type, "{\"message\":\"cut\"}", "exception"), out))
          .isInstanceOfSatisfying(
              GatewayException.class,
              e -> {
                // an exception of no known name: the upstream's server error, as in an answer
                assertThat(e.status()).isEqualTo(inAnAnswer.status()).isEqualTo(500);
                assertThat(e.getMessage()).isEqualTo("cut");
              });
    }
  }

  private static GatewayException error(int status, String type, String message) {
    return ADAPTER.toError(
        status,
        Map.of("x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"),
        ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  static byte[] recordedShapeStream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[][] events = {
      {"messageStart", "{\"p\":\"abcdefghijk\",\"role\":\"assistant\"}"},
      {
        "contentBlockDelta",
        "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Looking \"},\"p\":\"ab\"}"
      },
      {
        "contentBlockDelta",
        "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"it up 🌍\"},\"p\":\"a\"}"
      },
      {"contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcd\"}"},
      {
        "contentBlockStart",
        "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_1\",\"name\":"
            + "\"get_weather\"}},\"p\":\"abc\"}"
      },
      {
        "contentBlockDelta",
        "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\":\"}},\"p\":\"a\"}"
      },
      {
        "contentBlockDelta",
        "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\\\"Paris\\\"}\"}},\"p\":\"a\"}"
      },
      {"contentBlockStop", "{\"contentBlockIndex\":1,\"p\":\"abcdefg\"}"},
      {"messageStop", "{\"p\":\"abcdef\",\"stopReason\":\"tool_use\"}"},
      {
        "metadata",
        "{\"metrics\":{\"latencyMs\":812},\"p\":\"abc\",\"usage\":{\"inputTokens\":412,"
            + "\"outputTokens\":57,\"totalTokens\":469}}"
      }
    };
    for (String[] event : events) {
      out.writeBytes(
          io.feathergate.transport.EventStreamDecoderTest.message(
              "event", ":event-type", event[0], event[1]));
    }
    return out.toByteArray();
  }

  static List<String> decode(byte[] bytes, int split, boolean includeUsage) {
    EventStreamDecoder frames = new EventStreamDecoder(1 << 20);
    StreamDecoder decoder = ADAPTER.newStreamDecoder(context(includeUsage));
    List<String> out = new ArrayList<>();
    java.util.function.Consumer<SseEvent> sink = e -> decoder.onEvent(e, out);
    frames.feed(ByteBuffer.wrap(bytes, 0, split), sink);
    frames.feed(ByteBuffer.wrap(bytes, split, bytes.length - split), sink);
    frames.finish(sink);
    decoder.onEnd(out);
    return out;
  }

  @Test
  void aStreamOfTextThenAToolCallSplitAtEveryByte() {
    byte[] bytes = recordedShapeStream();
    List<String> whole = decode(bytes, bytes.length, true);
    List<JsonNode> chunks = new ArrayList<>();
    whole.forEach(c -> chunks.add(Json.readOrNull(c.getBytes(StandardCharsets.UTF_8))));
    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder arguments = new StringBuilder();
    for (JsonNode chunk : chunks) {
      text.append(chunk.at("/choices/0/delta/content").asText(""));
      arguments.append(chunk.at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
    }
    assertThat(text).hasToString("Looking it up 🌍");
    assertThat(
            Json.readOrNull(arguments.toString().getBytes(StandardCharsets.UTF_8))
                .path("city")
                .asText())
        .isEqualTo("Paris");
    JsonNode start =
        chunks.stream()
            .filter(c -> c.at("/choices/0/delta/tool_calls/0/id").isTextual())
            .findFirst()
            .orElseThrow();
    assertThat(start.at("/choices/0/delta/tool_calls/0/index").asInt()).isZero();
    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    JsonNode usage = chunks.get(chunks.size() - 1);
    assertThat(usage.path("choices")).isEmpty();
    assertThat(usage.at("/usage/total_tokens").asInt()).isEqualTo(469);
    for (int split = 1; split < bytes.length; split++) {
      assertThat(decode(bytes, split, true)).isEqualTo(whole);
    }
    // unasked, the usage is still reported beside the chunks, not among them
    List<String> unasked = decode(bytes, bytes.length, false);
    assertThat(unasked).hasSize(whole.size() - 1);
  }

  @Test
  void anExceptionInTheStreamEndsIt() {
    StreamDecoder decoder = ADAPTER.newStreamDecoder(context(false));
    List<String> out = new ArrayList<>();
    decoder.onEvent(new SseEvent("messageStart", "{\"role\":\"assistant\"}", "event"), out);
    assertThatThrownBy(
            () ->
                decoder.onEvent(
                    new SseEvent(
                        "modelStreamErrorException",
                        "{\"message\":\"The model failed\"}",
                        "exception"),
                    out))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.getMessage()).isEqualTo("The model failed");
            });
  }
}
