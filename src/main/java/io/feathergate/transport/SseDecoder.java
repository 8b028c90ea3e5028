package io.feathergate.transport;

import io.feathergate.core.spi.SseEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Decodes a server-sent event stream from bytes as they arrive, split anywhere.
 *
 * <p>Works on bytes, not text: a line is decoded only once it is whole, so a multi-byte UTF-8
 * character split across two reads decodes correctly. Lines end in LF, CRLF or CR (a CR at the end
 * of one read and an LF at the start of the next are one line end). Comment lines ({@code :}) and
 * unknown fields are dropped; {@code data} lines of one event are joined with LF, per the HTML
 * standard's event-stream rules.
 */
public final class SseDecoder implements FrameDecoder {
  private final int maxEventBytes;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  private boolean firstLine = true;
  private int eventBytes;

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventName;
  private String id;

  /**
   * @param maxEventBytes the largest single event accepted; a bigger one is a protocol error, so a
   *     broken upstream cannot make the gateway buffer without end
   */
  public SseDecoder(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Consumes every remaining byte of {@code src}, passing each completed event to {@code sink}.
   *
   * @throws UpstreamProtocolException when one event exceeds the size limit
   */
  @Override
  public void feed(ByteBuffer src, Consumer<SseEvent> sink) {
    while (src.hasRemaining()) {
      byte b = src.get();
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false; // the LF of a CRLF pair
          continue;
        }
        endLine(sink);
      } else if (b == '\r') {
        lastWasCr = true;
        endLine(sink);
      } else {
        lastWasCr = false;
        append(b);
      }
    }
  }

  /** The stream ended: an event still open (no final blank line) is dispatched rather than lost. */
  @Override
  public void finish(Consumer<SseEvent> sink) {
    if (lineLength > 0) {
      endLine(sink);
    }
    dispatch(sink);
  }

  private void append(byte b) {
    if (++eventBytes > maxEventBytes) {
      throw new UpstreamProtocolException("an event exceeds " + maxEventBytes + " bytes");
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }

  private void endLine(Consumer<SseEvent> sink) {
    int start = 0;
    if (firstLine) {
      firstLine = false;
      // a UTF-8 byte order mark may open the stream
      if (lineLength >= 3
          && line[0] == (byte) 0xEF
          && line[1] == (byte) 0xBB
          && line[2] == (byte) 0xBF) {
        start = 3;
      }
    }
    int length = lineLength - start;
    lineLength = 0;
    if (length == 0) {
      dispatch(sink);
      return;
    }
    if (line[start] == ':') {
      return; // comment / keep-alive
    }
    int colon = indexOf(line, start, start + length, (byte) ':');
    String field;
    String value;
    if (colon < 0) {
      field = new String(line, start, length, StandardCharsets.UTF_8);
      value = "";
    } else {
      field = new String(line, start, colon - start, StandardCharsets.US_ASCII);
      int valueStart = colon + 1;
      if (valueStart < start + length && line[valueStart] == ' ') {
        valueStart++;
      }
      value = new String(line, valueStart, start + length - valueStart, StandardCharsets.UTF_8);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> eventName = value;
      case "id" -> id = value;
      default -> {
        // "retry" and unknown fields carry nothing a gateway forwards
      }
    }
  }

  private void dispatch(Consumer<SseEvent> sink) {
    if (hasData) {
      SseEvent event = new SseEvent(eventName, data.toString(), id);
      data.setLength(0);
      hasData = false;
      eventName = null;
      eventBytes = 0;
      sink.accept(event);
    } else {
      eventName = null;
      eventBytes = 0;
    }
  }

  private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
