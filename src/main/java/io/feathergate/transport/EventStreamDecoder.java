package io.feathergate.transport;

import io.feathergate.core.spi.SseEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * AWS's binary event stream ({@code application/vnd.amazon.eventstream}, Bedrock's ConverseStream):
 * messages of a 12-byte prelude (total length, headers length, the prelude's CRC32), typed headers,
 * a payload and the message's CRC32. Both checksums are verified; a message is handed on once
 * whole, however the bytes were split.
 *
 * <p>Each message becomes one event: its data is the payload as UTF-8 text (JSON for Bedrock), its
 * {@code event} the {@code :event-type} header (or {@code :exception-type} for an exception), its
 * {@code id} the {@code :message-type} header ({@code event}, {@code exception} or {@code error}).
 */
public final class EventStreamDecoder implements FrameDecoder {
  static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
  private static final int PRELUDE = 12;
  private static final int TRAILER = 4;

  private final int maxMessageBytes;
  private byte[] buffer = new byte[1024];
  private int length;

  public EventStreamDecoder(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void feed(ByteBuffer src, Consumer<SseEvent> sink) {
    while (src.hasRemaining()) {
      int wanted = length < PRELUDE ? PRELUDE : totalLength();
      int take = Math.min(src.remaining(), wanted - length);
      ensure(wanted);
      src.get(buffer, length, take);
      length += take;
      if (length == PRELUDE && wanted == PRELUDE) {
        checkPrelude(); // from here on the message's length is known and within bounds
      }
      if (length >= PRELUDE && length == totalLength()) {
        SseEvent event = message();
        length = 0;
        if (event != null) {
          sink.accept(event);
        }
      }
    }
  }

  @Override
  public void finish(Consumer<SseEvent> sink) {
    if (length > 0) {
      throw new UpstreamProtocolException("the event stream ended inside a message");
    }
  }

  private void ensure(int size) {
    if (buffer.length < size) {
      buffer = Arrays.copyOf(buffer, Math.max(size, buffer.length * 2));
    }
  }

  private int totalLength() {
    return readInt(0);
  }

  private void checkPrelude() {
    long total = readInt(0) & 0xffffffffL;
    long headers = readInt(4) & 0xffffffffL;
    CRC32 crc = new CRC32();
    crc.update(buffer, 0, 8);
    if ((int) crc.getValue() != readInt(8)) {
      throw new UpstreamProtocolException("an event-stream prelude fails its checksum");
    }
    if (total < PRELUDE + TRAILER || total > maxMessageBytes) {
      throw new UpstreamProtocolException(
          "an event-stream message is " + total + " bytes long, outside 16.." + maxMessageBytes);
    }
    if (headers > total - PRELUDE - TRAILER) {
      throw new UpstreamProtocolException("an event-stream message's headers exceed it");
    }
  }

  /** The whole message in the buffer as an event; null for a message that carries nothing. */
  private SseEvent message() {
    int total = totalLength();
    CRC32 crc = new CRC32();
    crc.update(buffer, 0, total - TRAILER);
    if ((int) crc.getValue() != readInt(total - TRAILER)) {
      throw new UpstreamProtocolException("an event-stream message fails its checksum");
    }
    int headersEnd = PRELUDE + readInt(4);
    String messageType = null;
    String eventType = null;
    String exceptionType = null;
    int at = PRELUDE;
    while (at < headersEnd) {
      int nameLength = buffer[at++] & 0xff;
      String name = new String(buffer, at, nameLength, StandardCharsets.UTF_8);
      at += nameLength;
      int type = buffer[at++];
      String value = null;
      switch (type) {
        case 0, 1 -> {
          // true, false: no value
        }
        case 2 -> at += 1;
        case 3 -> at += 2;
        case 4 -> at += 4;
        case 5, 8 -> at += 8;
        case 6, 7 -> {
          int valueLength = ((buffer[at] & 0xff) << 8) | (buffer[at + 1] & 0xff);
          at += 2;
          if (type == 7) {
            value = new String(buffer, at, valueLength, StandardCharsets.UTF_8);
          }
          at += valueLength;
        }
        case 9 -> at += 16;
        default ->
            throw new UpstreamProtocolException("an event-stream header has unknown type " + type);
      }
      if (at > headersEnd) {
        throw new UpstreamProtocolException("an event-stream header runs past the headers");
      }
      switch (name) {
        case ":message-type" -> messageType = value;
        case ":event-type" -> eventType = value;
        case ":exception-type", ":error-code" -> exceptionType = value;
        default -> {
          // :content-type and others carry nothing the gateway needs
        }
      }
    }
    String payload =
        new String(buffer, headersEnd, total - TRAILER - headersEnd, StandardCharsets.UTF_8);
    boolean event = messageType == null || messageType.equals("event");
    return new SseEvent(event ? eventType : exceptionType, payload, messageType);
  }

  private int readInt(int at) {
    return ((buffer[at] & 0xff) << 24)
        | ((buffer[at + 1] & 0xff) << 16)
        | ((buffer[at + 2] & 0xff) << 8)
        | (buffer[at + 3] & 0xff);
  }
}
