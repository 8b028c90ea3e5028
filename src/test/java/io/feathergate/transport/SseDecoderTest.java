package io.feathergate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.spi.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseDecoderTest {

  private static List<SseEvent> decode(byte[] bytes, int... splits) {
    SseDecoder decoder = new SseDecoder(1 << 20);
    List<SseEvent> events = new ArrayList<>();
    int from = 0;
    for (int split : splits) {
      decoder.feed(ByteBuffer.wrap(bytes, from, split - from), events::add);
      from = split;
    }
    decoder.feed(ByteBuffer.wrap(bytes, from, bytes.length - from), events::add);
    decoder.finish(events::add);
    return events;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesDataEventsAndIgnoresComments() {
    List<SseEvent> events =
        decode(
            utf8(": keep-alive\n\ndata: {\"a\":1}\n\n: OPENROUTER PROCESSING\n\ndata: [DONE]\n\n"));
    assertThat(events).extracting(SseEvent::data).containsExactly("{\"a\":1}", "[DONE]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void acceptsEveryLineEnding(String eol) {
    String stream =
        "event: message_start" + eol + "data: {\"x\":1}" + eol + eol + "data: two" + eol + eol;
    List<SseEvent> events = decode(utf8(stream));
    assertThat(events)
        .containsExactly(
            new SseEvent("message_start", "{\"x\":1}", null), new SseEvent(null, "two", null));
  }

  @Test
  void crAtTheEndOfOneReadAndLfAtTheStartOfTheNextAreOneLineEnd() {
    byte[] bytes = utf8("data: a\r\n\r\ndata: b\r\n\r\n");
    // split right between every CR and its LF
    List<SseEvent> events = decode(bytes, 8, 10);
    assertThat(events).extracting(SseEvent::data).containsExactly("a", "b");
  }

  @Test
  void joinsMultipleDataLinesWithLf() {
    assertThat(decode(utf8("data: line one\ndata: line two\n\n")))
        .extracting(SseEvent::data)
        .containsExactly("line one\nline two");
  }

  @Test
  void dataWithoutSpaceAfterColonAndFieldWithoutColon() {
    assertThat(decode(utf8("data:{\"a\":1}\n\ndata\n\n")))
        .extracting(SseEvent::data)
        .containsExactly("{\"a\":1}", "");
  }

  @Test
  void contentContainingDataPrefixIsNotSplit() {
    String json = "{\"content\":\"say data: hi\\n\\ndata: no\"}";
    assertThat(decode(utf8("data: " + json + "\n\n")))
        .extracting(SseEvent::data)
        .containsExactly(json);
  }

  @Test
  void lastEventWithoutFinalBlankLineIsDispatchedAtTheEnd() {
    assertThat(decode(utf8("data: one\n\ndata: two")))
        .extracting(SseEvent::data)
        .containsExactly("one", "two");
  }

  @Test
  void multiByteCharactersSplitAcrossReadsDecodeIntact() {
    byte[] bytes = utf8("data: {\"t\":\"héllo — 世界 🙂\"}\n\n");
    for (int split = 1; split < bytes.length; split++) {
      assertThat(decode(bytes, split))
          .extracting(SseEvent::data)
          .containsExactly("{\"t\":\"héllo — 世界 🙂\"}");
    }
  }

  @Test
  void byteOrderMarkAtTheStartIsIgnored() {
    byte[] body = utf8("data: x\n\n");
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);
    assertThat(decode(withBom)).extracting(SseEvent::data).containsExactly("x");
  }

  @Test
  void oversizedEventIsRejectedInsteadOfBufferedWithoutEnd() {
    SseDecoder decoder = new SseDecoder(16);
    ByteBuffer huge = ByteBuffer.wrap(utf8("data: " + "x".repeat(100)));
    assertThatThrownBy(() -> decoder.feed(huge, e -> {}))
        .isInstanceOf(UpstreamProtocolException.class)
        .hasMessageContaining("16 bytes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "real_stream_text_include_usage.sse",
        "real_stream_parallel_tool_calls.sse",
        "real_stream_refusal.sse",
        "real_stream_n3_choices.sse",
        "thirdparty_stream_tool_call_obfuscation_2025-11.sse"
      })
  void everyRecordedOpenAiStreamDecodesTheSameAtEverySplitPoint(String fixture) throws IOException {
    byte[] bytes = fixture("openai/" + fixture);
    List<SseEvent> whole = decode(bytes);
    assertThat(whole).isNotEmpty();
    assertThat(whole.get(whole.size() - 1).data()).isEqualTo("[DONE]");
    for (int split = 1; split < bytes.length; split++) {
      assertThat(decode(bytes, split)).as("split at %d", split).isEqualTo(whole);
    }
    // and byte by byte, the worst case of TCP fragmentation
    int[] everyByte = new int[bytes.length - 1];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = i + 1;
    }
    assertThat(decode(bytes, everyByte)).isEqualTo(whole);
  }

  static byte[] fixture(String path) throws IOException {
    try (InputStream in = SseDecoderTest.class.getResourceAsStream("/fixtures/" + path)) {
      assertThat(in).as("fixture %s", path).isNotNull();
      return in.readAllBytes();
    }
  }
}
