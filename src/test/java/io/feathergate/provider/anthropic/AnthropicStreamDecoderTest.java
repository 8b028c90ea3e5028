package io.feathergate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicStreamDecoderTest {
  private static final String START =
      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"usage\":{\"input_tokens\":40,"
          + "\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":7,\"output_tokens\":1}}}";

  private final List<String> out = new ArrayList<>();

  private static StreamContext context(String extraFields) {
    return AnthropicTesting.context(
        AnthropicTesting.request(
            "{\"model\":\"claude\",\"stream\":true"
                + extraFields
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
  }

  private static void feed(AnthropicStreamDecoder decoder, List<String> out, String... events) {
    for (String data : events) {
      // Anthropic names every event after its data's type
      decoder.onEvent(new SseEvent(parse(data).path("type").asText(), data, null), out);
    }
  }

  private static JsonNode parse(String chunk) {
    try {
      return Json.MAPPER.readTree(chunk);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The arguments each tool call index received, concatenated, as a client accumulates them. */
  private static Map<Integer, String> accumulatedArguments(List<String> chunks) {
    Map<Integer, String> arguments = new LinkedHashMap<>();
    for (String chunk : chunks) {
      for (JsonNode choice : parse(chunk).path("choices")) {
        for (JsonNode call : choice.path("delta").path("tool_calls")) {
          arguments.merge(
              call.get("index").asInt(),
              call.path("function").path("arguments").asText(""),
              String::concat);
        }
      }
    }
    return arguments;
  }

  private static String block(int index, String contentBlock) {
    return "{\"type\":\"content_block_start\",\"index\":"
        + index
        + ",\"content_block\":"
        + contentBlock
        + "}";
  }

  private static String json(int index, String partial) {
    return "{\"type\":\"content_block_delta\",\"index\":"
        + index
        + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
        + Json.MAPPER.getNodeFactory().textNode(partial)
        + "}}";
  }

  private static String stop(int index) {
    return "{\"type\":\"content_block_stop\",\"index\":" + index + "}";
  }

  private static String messageDelta(String stopReason, int outputTokens) {
    return "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
        + stopReason
        + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
        + outputTokens
        + "}}";
  }

  private static final String MESSAGE_STOP = "{\"type\":\"message_stop\"}";

  @Test
  void toolWithoutArgumentsStillGetsAJsonObject_litellm5063() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(
        decoder,
        out,
        START,
        block(0, "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"snooze\",\"input\":{}}"),
        json(0, ""),
        stop(0),
        messageDelta("tool_use", 12),
        MESSAGE_STOP);
    decoder.onEnd(out);
    assertThat(accumulatedArguments(out)).containsExactly(Map.entry(0, "{}"));
  }

  @Test
  void anthropicStreamKeepsToolCallArgumentsOfInterleavedBlocks() {
    // fine-grained tool streaming may interleave blocks: each fragment must reach its own call
    // (crmne/ruby_llm#710 routed them to the wrong one)
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(
        decoder,
        out,
        START,
        block(0, "{\"type\":\"text\",\"text\":\"\"}"),
        stop(0),
        block(1, "{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"a\",\"input\":{}}"),
        block(2, "{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"b\",\"input\":{}}"),
        json(1, "{\"x\":"),
        json(2, "{\"y\":"),
        json(2, "2}"),
        json(1, "1}"),
        stop(2),
        stop(1),
        messageDelta("tool_use", 30),
        MESSAGE_STOP);
    decoder.onEnd(out);
    assertThat(accumulatedArguments(out))
        .containsExactly(Map.entry(0, "{\"x\":1}"), Map.entry(1, "{\"y\":2}"));
  }

  @Test
  void toolUseAfterThinkingAndTextIsKept_litellm36262() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(
        decoder,
        out,
        START,
        block(0, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"),
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Use the tool.\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}",
        stop(0),
        block(1, "{\"type\":\"text\",\"text\":\"\"}"),
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Submitting.\"}}",
        stop(1),
        block(
            2,
            "{\"type\":\"tool_use\",\"id\":\"toolu_s\",\"name\":\"submit_result\",\"input\":{}}"),
        json(2, "{\"value\": 1}"),
        stop(2),
        messageDelta("tool_use", 50),
        MESSAGE_STOP);
    decoder.onEnd(out);
    assertThat(accumulatedArguments(out)).containsExactly(Map.entry(0, "{\"value\": 1}"));
    assertThat(parse(out.get(out.size() - 1)).at("/choices/0/finish_reason").asText())
        .isEqualTo("tool_calls");
  }

  @Test
  void toolCutOffByMaxTokensEndsCleanlyWithLength_litellm15322() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(
        decoder,
        out,
        START,
        block(0, "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"write\",\"input\":{}}"),
        json(0, "{\"text\": \"a very lo"),
        messageDelta("max_tokens", 4096),
        MESSAGE_STOP);
    decoder.onEnd(out);
    assertThat(parse(out.get(out.size() - 1)).at("/choices/0/finish_reason").asText())
        .isEqualTo("length");
  }

  @Test
  void toolCutOffBeforeAnyArgumentStillOwesAnObject() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(
        decoder,
        out,
        START,
        block(0, "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"write\",\"input\":{}}"),
        messageDelta("max_tokens", 4096));
    assertThat(accumulatedArguments(out)).containsExactly(Map.entry(0, "{}"));
  }

  @Test
  void usageChunkOnlyWhenAsked_litellm3490() {
    AnthropicStreamDecoder asked =
        new AnthropicStreamDecoder(context(",\"stream_options\":{\"include_usage\":true}"));
    feed(asked, out, START, messageDelta("end_turn", 25), MESSAGE_STOP);
    asked.onEnd(out);
    JsonNode usageChunk = parse(out.get(out.size() - 1));
    assertThat(usageChunk.get("choices")).isEmpty();
    // cumulative output count from message_delta; prompt = input + cache reads
    assertThat(usageChunk.at("/usage/prompt_tokens").asInt()).isEqualTo(140);
    assertThat(usageChunk.at("/usage/completion_tokens").asInt()).isEqualTo(25);
    assertThat(usageChunk.at("/usage/total_tokens").asInt()).isEqualTo(165);
    assertThat(usageChunk.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(100);
    assertThat(usageChunk.at("/usage/cache_creation_input_tokens").asInt()).isEqualTo(7);
    assertThat(out.stream().filter(c -> c.contains("\"usage\""))).hasSize(1);

    List<String> notAsked = new ArrayList<>();
    AnthropicStreamDecoder silent =
        new AnthropicStreamDecoder(context(",\"stream_options\":{\"include_usage\":false}"));
    feed(silent, notAsked, START, messageDelta("end_turn", 25), MESSAGE_STOP);
    silent.onEnd(notAsked);
    assertThat(notAsked).noneMatch(c -> c.contains("\"usage\""));
  }

  @Test
  void usageChunkStillComesWhenMessageStopIsMissing() {
    AnthropicStreamDecoder decoder =
        new AnthropicStreamDecoder(context(",\"stream_options\":{\"include_usage\":true}"));
    feed(decoder, out, START, messageDelta("end_turn", 3));
    decoder.onEnd(out);
    assertThat(out.get(out.size() - 1)).contains("\"usage\"");
  }

  @Test
  void errorEventMidStreamEndsTheStreamWithThatError_litellm4562() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(decoder, out, START);
    assertThatThrownBy(
            () ->
                decoder.onEvent(
                    new SseEvent(
                        "error",
                        "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}",
                        null),
                    out))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              // 529 is no HTTP status OpenAI clients know: 503, retryable, origin kept in the code
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.type()).isEqualTo("overloaded_error");
              assertThat(e.code()).isEqualTo("529");
              assertThat(e.getMessage()).isEqualTo("Overloaded");
              assertThat(e.retryable()).isTrue();
            });
  }

  @Test
  void paddedApiErrorWithDetailsIsA500() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    assertThatThrownBy(
            () ->
                decoder.onEvent(
                    new SseEvent(
                        "error",
                        "{\"type\":\"error\",\"error\":{\"details\":null,\"type\":\"api_error\",\"message\":\"Internal server error\"},\"request_id\":\"req_1\"}      ",
                        null),
                    out))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(500);
              assertThat(e.type()).isEqualTo("api_error");
              assertThat(e.retryable()).isTrue();
            });
  }

  @Test
  void errorEventWithoutErrorObjectIsAProtocolError() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    assertThatThrownBy(
            () -> decoder.onEvent(new SseEvent("error", "{\"type\":\"error\"}", null), out))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
  }

  @Test
  void pingsKeepAlivesAndUnknownEventsAreIgnored() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(decoder, out, START);
    int before = out.size();
    decoder.onEvent(new SseEvent("ping", "{\"type\": \"ping\"}", null), out);
    decoder.onEvent(new SseEvent(null, "", null), out);
    decoder.onEvent(new SseEvent("future_event", "{\"type\":\"future_event\",\"x\":1}", null), out);
    feed(
        decoder,
        out,
        block(0, "{\"type\":\"text\",\"text\":\"\"}"),
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":{}}}");
    assertThat(out).hasSize(before);
  }

  @Test
  void brokenJsonIsAProtocolError() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    assertThatThrownBy(
            () -> decoder.onEvent(new SseEvent("message_start", "{\"type\":", null), out))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
  }

  @Test
  void streamThatEndsBeforeTheMessageDeltaIsAnError() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(decoder, out, START, block(0, "{\"type\":\"text\",\"text\":\"Hel\"}"));
    assertThatThrownBy(() -> decoder.onEnd(out))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.getMessage()).contains("before the message"));
    assertThatThrownBy(() -> new AnthropicStreamDecoder(context("")).onEnd(new ArrayList<>()))
        .isInstanceOf(GatewayException.class);
  }

  @Test
  void everyChunkCarriesTheMessageIdCreatedAndModel() {
    AnthropicStreamDecoder decoder =
        new AnthropicStreamDecoder(context(",\"stream_options\":{\"include_usage\":true}"));
    feed(
        decoder,
        out,
        START,
        block(0, "{\"type\":\"text\",\"text\":\"Hi\"}"),
        stop(0),
        messageDelta("end_turn", 2),
        MESSAGE_STOP);
    decoder.onEnd(out);
    assertThat(out).hasSize(4);
    for (String chunk : out) {
      JsonNode node = parse(chunk);
      assertThat(node.get("id").asText()).isEqualTo("msg_1");
      assertThat(node.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(node.get("created").asLong()).isEqualTo(AnthropicTesting.CREATED);
      assertThat(node.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    }
  }

  @Test
  void eventsBeforeAnyMessageStartUseTheGatewaysIdAndModel() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(decoder, out, block(0, "{\"type\":\"text\",\"text\":\"\"}"));
    decoder.onEvent(
        new SseEvent(
            null,
            "{\"type\":\"content_block_delta\",\"index\":5,\"delta\":{\"type\":\"text_delta\",\"text\":\"orphan\"}}",
            null),
        out);
    feed(decoder, out, MESSAGE_STOP);
    decoder.onEnd(out);
    assertThat(parse(out.get(0)).get("id").asText()).isEqualTo(AnthropicTesting.RESPONSE_ID);
    assertThat(parse(out.get(0)).get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(out.get(1)).contains("orphan");
    assertThat(parse(out.get(2)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void refusalExplanationBecomesARefusalDelta() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(
        decoder,
        out,
        START,
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\",\"stop_details\":{\"type\":\"refusal\",\"explanation\":\"Not allowed.\"}},\"usage\":{\"output_tokens\":0}}");
    assertThat(parse(out.get(1)).at("/choices/0/delta/refusal").asText()).isEqualTo("Not allowed.");
    assertThat(parse(out.get(2)).at("/choices/0/finish_reason").asText())
        .isEqualTo("content_filter");
  }

  @Test
  void serverToolInputNeverBecomesAToolCall() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(
        decoder,
        out,
        START,
        block(
            0,
            "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}"),
        json(0, "{\"query\": \"x\"}"),
        stop(0),
        messageDelta("end_turn", 9));
    assertThat(accumulatedArguments(out)).isEmpty();
  }

  @Test
  void jsonModeToolWithAPrefilledInputIsTheContent() {
    AnthropicStreamDecoder decoder =
        new AnthropicStreamDecoder(context(",\"response_format\":{\"type\":\"json_object\"}"));
    feed(
        decoder,
        out,
        START,
        block(
            0,
            "{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"json_tool_call\",\"input\":{\"a\":1}}"),
        stop(0),
        block(1, "{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"json_tool_call\",\"input\":{}}"),
        stop(1),
        messageDelta("tool_use", 9));
    assertThat(parse(out.get(1)).at("/choices/0/delta/content").asText()).isEqualTo("{\"a\":1}");
    assertThat(parse(out.get(2)).at("/choices/0/delta/content").asText()).isEqualTo("{}");
    assertThat(parse(out.get(3)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void jsonModeNextToARealToolCallStillReportsToolCalls() {
    AnthropicStreamDecoder decoder =
        new AnthropicStreamDecoder(context(",\"response_format\":{\"type\":\"json_object\"}"));
    feed(
        decoder,
        out,
        START,
        block(
            0, "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"lookup\",\"input\":{\"q\":\"x\"}}"),
        stop(0),
        messageDelta("tool_use", 9));
    assertThat(accumulatedArguments(out)).containsExactly(Map.entry(0, "{\"q\":\"x\"}"));
    assertThat(parse(out.get(out.size() - 1)).at("/choices/0/finish_reason").asText())
        .isEqualTo("tool_calls");
  }

  @Test
  void redactedThinkingIsPassedAsAThinkingBlock() {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(context(""));
    feed(
        decoder,
        out,
        START,
        block(0, "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgB\"}"),
        stop(0));
    assertThat(parse(out.get(1)).at("/choices/0/delta/thinking_blocks/0/data").asText())
        .isEqualTo("EmwKAhgB");
  }
}
