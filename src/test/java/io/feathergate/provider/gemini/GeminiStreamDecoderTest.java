package io.feathergate.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream decoder's rules, each on the smallest stream that shows it. */
class GeminiStreamDecoderTest {
  private final List<String> chunks = new ArrayList<>();

  private static StreamDecoder decoder(boolean includeUsage) {
    String body =
        "{\"model\":\"g\",\"stream\":true,\"stream_options\":{\"include_usage\":"
            + includeUsage
            + "},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    return new GeminiStreamDecoder(
        new StreamContext(
            ChatRequests.parse(body.getBytes(StandardCharsets.UTF_8)),
            "gemini-2.5-flash",
            "chatcmpl-ctx",
            7L,
            GoldenCase.counter()));
  }

  private static SseEvent data(String json) {
    return new SseEvent(null, json, null);
  }

  private List<JsonNode> parsed() throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String chunk : chunks) {
      nodes.add(GoldenCase.JSON.readTree(chunk));
    }
    return nodes;
  }

  private static String call(String name, String args) {
    return "{\"functionCall\":{\"name\":\"" + name + "\",\"args\":" + args + "}}";
  }

  private static String event(String parts, String finish, String usage) {
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
        + parts
        + "]}"
        + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"")
        + "}]"
        + (usage == null ? "" : ",\"usageMetadata\":" + usage)
        + "}";
  }

  @Test
  void candidatesThatAreNotAListCarryNoText() {
    // found by fuzzing: a mapping there made each candidate read as null (a NullPointerException)
    StreamDecoder decoder = decoder(false);
    decoder.onEvent(data("{\"candidates\":{\"safetyRatings\":[]}}"), chunks);
    decoder.onEvent(data(event("{\"text\":\"hi\"}", "STOP", null)), chunks);
    decoder.onEnd(chunks);
    assertThat(String.join("", chunks)).contains("\"content\":\"hi\"");
  }

  @Test
  void geminiToolCallsFinishAsToolCallsNotStop_litellm21041() throws IOException {
    StreamDecoder decoder = decoder(false);
    decoder.onEvent(data(event(call("f", "{}"), "STOP", null)), chunks);
    decoder.onEnd(chunks);
    List<JsonNode> out = parsed();
    assertThat(out.get(out.size() - 1).at("/choices/0/finish_reason").asText())
        .isEqualTo("tool_calls");
  }

  @Test
  void parallelCallsGetDistinctIndices_litellm16194() throws IOException {
    StreamDecoder decoder = decoder(false);
    decoder.onEvent(
        data(event(call("a", "{\"x\":1}") + "," + call("b", "{}"), null, null)), chunks);
    decoder.onEvent(data(event(call("c", "{\"y\":[2]}"), "STOP", null)), chunks);
    decoder.onEnd(chunks);
    List<JsonNode> out = parsed();
    JsonNode first = out.get(0).at("/choices/0/delta/tool_calls");
    JsonNode second = out.get(1).at("/choices/0/delta/tool_calls");
    assertThat(first.get(0).get("index").asInt()).isZero();
    assertThat(first.get(1).get("index").asInt()).isEqualTo(1);
    assertThat(second.get(0).get("index").asInt()).isEqualTo(2);
    // each call arrives whole: id, type, name and complete arguments in one delta
    assertThat(second.get(0).get("id").asText()).isEqualTo("call_3");
    assertThat(second.get(0).get("type").asText()).isEqualTo("function");
    assertThat(second.get(0).at("/function/arguments").asText()).isEqualTo("{\"y\":[2]}");
  }

  @Test
  void usageIsCumulativeNotSummed() throws IOException {
    StreamDecoder decoder = decoder(true);
    decoder.onEvent(
        data(
            event(
                "{\"text\":\"a\"}",
                null,
                "{\"promptTokenCount\":7,\"candidatesTokenCount\":51,\"totalTokenCount\":58}")),
        chunks);
    decoder.onEvent(
        data(
            event(
                "{\"text\":\"b\"}",
                "STOP",
                "{\"promptTokenCount\":7,\"candidatesTokenCount\":102,\"totalTokenCount\":109}")),
        chunks);
    decoder.onEnd(chunks);
    JsonNode usage = parsed().get(parsed().size() - 1).get("usage");
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(7);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(102);
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(109);
  }

  @Test
  void noUsageChunkUnlessAsked_edgeCase5() throws IOException {
    StreamDecoder decoder = decoder(false);
    decoder.onEvent(
        data(event("{\"text\":\"a\"}", "STOP", "{\"promptTokenCount\":1,\"totalTokenCount\":1}")),
        chunks);
    decoder.onEnd(chunks);
    assertThat(parsed()).allSatisfy(chunk -> assertThat(chunk.has("usage")).isFalse());
  }

  @Test
  void everyChunkRepeatsTheFirstEventsIdAndModel() throws IOException {
    StreamDecoder decoder = decoder(true);
    decoder.onEvent(
        data(
            "{\"responseId\":\"r1\",\"modelVersion\":\"m1\","
                + event("{\"text\":\"a\"}", null, null).substring(1)),
        chunks);
    decoder.onEvent(
        data(
            "{\"responseId\":\"r2\",\"modelVersion\":\"m2\","
                + event("{\"text\":\"b\"}", "STOP", "{\"totalTokenCount\":3}").substring(1)),
        chunks);
    decoder.onEnd(chunks);
    assertThat(parsed())
        .hasSize(4)
        .allSatisfy(
            chunk -> {
              assertThat(chunk.get("id").asText()).isEqualTo("r1");
              assertThat(chunk.get("model").asText()).isEqualTo("m1");
              assertThat(chunk.get("created").asLong()).isEqualTo(7L);
              assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
            });
    assertThat(parsed().get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(parsed().get(1).at("/choices/0/delta").has("role")).isFalse();
  }

  @Test
  void aBareErrorEventEndsTheStreamWithItsStatus() {
    StreamDecoder decoder = decoder(false);
    decoder.onEvent(data(event("{\"text\":\"a\"}", null, null)), chunks);
    assertThatThrownBy(
            () ->
                decoder.onEvent(
                    data(
                        "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}"),
                    chunks))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.getMessage()).isEqualTo("Resource has been exhausted");
            });
  }

  @Test
  void keepAlivesAreIgnoredAndGarbageIsAProtocolError() {
    StreamDecoder decoder = decoder(false);
    decoder.onEvent(data(""), chunks);
    decoder.onEvent(data("ping"), chunks);
    assertThat(chunks).isEmpty();
    assertThatThrownBy(() -> decoder.onEvent(data("{\"candidates\": [ "), chunks))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
  }

  @Test
  void anArrayEventIsReadAsItsResponsesInOrder() throws IOException {
    StreamDecoder decoder = decoder(false);
    decoder.onEvent(
        data(
            "["
                + event("{\"text\":\"a\"}", null, null)
                + ","
                + event("{\"text\":\"b\"}", "STOP", null)
                + "]"),
        chunks);
    decoder.onEnd(chunks);
    assertThat(parsed())
        .extracting(c -> c.at("/choices/0/delta/content").asText(""))
        .containsExactly("a", "b", "");
  }
}
