package io.feathergate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.spi.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

public class EventStreamDecoderTest {

  /** One event-stream message with string headers, as Bedrock frames them. */
  public static byte[] message(String messageType, String typeHeader, String type, String payload) {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    header(headers, ":message-type", messageType);
    header(headers, typeHeader, type);
    header(headers, ":content-type", "application/json");
    byte[] headerBytes = headers.toByteArray();
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    int total = 12 + headerBytes.length + body.length + 4;
    ByteBuffer out = ByteBuffer.allocate(total);
    out.putInt(total).putInt(headerBytes.length);
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, 8);
    out.putInt((int) crc.getValue());
    out.put(headerBytes).put(body);
    crc = new CRC32();
    crc.update(out.array(), 0, total - 4);
    out.putInt((int) crc.getValue());
    return out.array();
  }

  private static void header(ByteArrayOutputStream out, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    out.write(n.length);
    out.writeBytes(n);
    out.write(7);
    out.write(v.length >> 8);
    out.write(v.length & 0xff);
    out.writeBytes(v);
  }

  static byte[] stream() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(
        message("event", ":event-type", "messageStart", "{\"role\":\"assistant\",\"p\":\"abcd\"}"));
    all.writeBytes(
        message(
            "event",
            ":event-type",
            "contentBlockDelta",
            "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Grüße 🌍\"},\"p\":\"xy\"}"));
    all.writeBytes(
        message(
            "exception",
            ":exception-type",
            "throttlingException",
            "{\"message\":\"Too many requests\"}"));
    return all.toByteArray();
  }

  static List<SseEvent> decode(byte[] bytes, int piece) {
    EventStreamDecoder decoder = new EventStreamDecoder(1 << 20);
    List<SseEvent> events = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += piece) {
      decoder.feed(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)), events::add);
    }
    decoder.finish(events::add);
    return events;
  }

  @Test
  void messagesBecomeEventsHoweverTheBytesAreSplit() {
    byte[] bytes = stream();
    List<SseEvent> whole = decode(bytes, bytes.length);
    assertThat(whole)
        .containsExactly(
            new SseEvent("messageStart", "{\"role\":\"assistant\",\"p\":\"abcd\"}", "event"),
            new SseEvent(
                "contentBlockDelta",
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Grüße 🌍\"},\"p\":\"xy\"}",
                "event"),
            new SseEvent(
                "throttlingException", "{\"message\":\"Too many requests\"}", "exception"));
    for (int piece = 1; piece < 40; piece++) {
      assertThat(decode(bytes, piece)).as("pieces of %d bytes", piece).isEqualTo(whole);
    }
    // and split once at every offset
    for (int split = 1; split < bytes.length; split++) {
      EventStreamDecoder decoder = new EventStreamDecoder(1 << 20);
      List<SseEvent> events = new ArrayList<>();
      decoder.feed(ByteBuffer.wrap(bytes, 0, split), events::add);
      decoder.feed(ByteBuffer.wrap(bytes, split, bytes.length - split), events::add);
      decoder.finish(events::add);
      assertThat(events).isEqualTo(whole);
    }
  }

  @Test
  void aBrokenChecksumIsAProtocolError() {
    byte[] bytes = message("event", ":event-type", "messageStart", "{}");
    byte[] badPrelude = bytes.clone();
    badPrelude[9] ^= 1;
    assertThatThrownBy(() -> decode(badPrelude, 5))
        .isInstanceOf(UpstreamProtocolException.class)
        .hasMessageContaining("prelude");
    byte[] badMessage = bytes.clone();
    badMessage[bytes.length - 6] ^= 1;
    assertThatThrownBy(() -> decode(badMessage, 5))
        .isInstanceOf(UpstreamProtocolException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void aStreamCutInsideAMessageIsAProtocolError() {
    byte[] bytes = message("event", ":event-type", "messageStart", "{}");
    EventStreamDecoder decoder = new EventStreamDecoder(1 << 20);
    decoder.feed(ByteBuffer.wrap(bytes, 0, bytes.length - 3), e -> {});
    assertThatThrownBy(() -> decoder.finish(e -> {})).isInstanceOf(UpstreamProtocolException.class);
  }

  @Test
  void anOversizedMessageIsRefusedFromItsPrelude() {
    byte[] bytes = message("event", ":event-type", "x", "{\"a\":\"" + "y".repeat(200) + "\"}");
    EventStreamDecoder decoder = new EventStreamDecoder(64);
    assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(bytes), e -> {}))
        .isInstanceOf(UpstreamProtocolException.class)
        .hasMessageContaining("outside");
  }
}
