package io.feathergate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.spi.StreamContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every recorded Anthropic stream, through the transport's SSE decoder and the Anthropic decoder,
 * gives the same chunks however its bytes are cut into reads (LiteLLM parsed partial Anthropic
 * events: BerriAI/litellm#17473, #17493).
 */
class AnthropicStreamSplitTest {
  private static final String[] FIXTURES = {
    "basic_response.txt",
    "tool_use_response.txt",
    "incomplete_partial_json_response.txt",
    "real_stream_structured_output_sonnet45.sse",
    "stream-a-refusal.sse",
    "stream-a-toolrefusal.sse",
    "doc_thinking_stream.sse",
    "doc_error_event_midstream.sse",
    "py_refusal_response.txt",
    "py_compaction_response.txt"
  };

  static Stream<String> fixtures() {
    return Stream.of(FIXTURES);
  }

  private static StreamContext context() {
    return AnthropicTesting.context(
        AnthropicTesting.request(
            "{\"model\":\"claude\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void recordedStreamGivesTheSameChunksSplitAtEveryByte_litellm17493(String fixture) {
    byte[] stream = AnthropicTesting.resource("fixtures/anthropic/" + fixture);
    List<String> whole = AnthropicTesting.clientEvents(context(), stream);
    assertThat(whole).hasSizeGreaterThan(2);
    for (int split = 1; split < stream.length; split++) {
      List<String> pieces =
          AnthropicTesting.clientEvents(
              context(),
              List.of(
                  Arrays.copyOfRange(stream, 0, split),
                  Arrays.copyOfRange(stream, split, stream.length)));
      assertThat(pieces).as("%s split at byte %d", fixture, split).isEqualTo(whole);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"stream-a-refusal.sse", "real_stream_structured_output_sonnet45.sse"})
  void recordedStreamGivesTheSameChunksOneByteAtATime(String fixture) {
    byte[] stream = AnthropicTesting.resource("fixtures/anthropic/" + fixture);
    List<byte[]> bytes = new ArrayList<>();
    for (byte b : stream) {
      bytes.add(new byte[] {b});
    }
    assertThat(AnthropicTesting.clientEvents(context(), bytes))
        .isEqualTo(AnthropicTesting.clientEvents(context(), stream));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tool_use_response.txt", "stream-a-refusal.sse"})
  void crlfFramingGivesTheSameChunks(String fixture) {
    byte[] stream = AnthropicTesting.resource("fixtures/anthropic/" + fixture);
    byte[] crlf =
        new String(stream, StandardCharsets.UTF_8)
            .replace("\n", "\r\n")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(AnthropicTesting.clientEvents(context(), crlf))
        .isEqualTo(AnthropicTesting.clientEvents(context(), stream));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyRecordedStreamEndsWithDoneOrAnError(String fixture) {
    List<String> events =
        AnthropicTesting.clientEvents(
            context(), AnthropicTesting.resource("fixtures/anthropic/" + fixture));
    String last = events.get(events.size() - 1);
    assertThat(last.equals("[DONE]") || last.startsWith("{\"error\":")).as(last).isTrue();
  }
}
