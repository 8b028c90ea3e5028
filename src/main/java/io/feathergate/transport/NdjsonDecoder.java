package io.feathergate.transport;

import io.feathergate.core.spi.SseEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Newline-delimited JSON (Ollama's streams): each non-blank line is one event, its text the event's
 * data. Lines are decoded once whole, so UTF-8 split across reads decodes correctly; a last line
 * without its line feed is still an event.
 */
public final class NdjsonDecoder implements FrameDecoder {
  private final int maxEventBytes;
  private byte[] line = new byte[256];
  private int length;

  public NdjsonDecoder(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  @Override
  public void feed(ByteBuffer src, Consumer<SseEvent> sink) {
    while (src.hasRemaining()) {
      byte b = src.get();
      if (b == '\n') {
        dispatch(sink);
      } else {
        if (length == maxEventBytes) {
          throw new UpstreamProtocolException("a line exceeds " + maxEventBytes + " bytes");
        }
        if (length == line.length) {
          line = Arrays.copyOf(line, Math.min(maxEventBytes, line.length * 2));
        }
        line[length++] = b;
      }
    }
  }

  @Override
  public void finish(Consumer<SseEvent> sink) {
    dispatch(sink);
  }

  private void dispatch(Consumer<SseEvent> sink) {
    int end = length;
    length = 0;
    while (end > 0 && (line[end - 1] == '\r' || line[end - 1] == ' ' || line[end - 1] == '\t')) {
      end--;
    }
    int start = 0;
    while (start < end && (line[start] == ' ' || line[start] == '\t')) {
      start++;
    }
    if (start < end) {
      sink.accept(
          new SseEvent(null, new String(line, start, end - start, StandardCharsets.UTF_8), null));
    }
  }
}
