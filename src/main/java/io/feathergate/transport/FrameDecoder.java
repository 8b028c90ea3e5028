package io.feathergate.transport;

import io.feathergate.core.spi.SseEvent;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Cuts a streamed response body into events as bytes arrive, split anywhere: server-sent events,
 * newline-delimited JSON, or AWS's binary event stream, chosen by the response's content type.
 */
interface FrameDecoder {

  /** Consumes every remaining byte of {@code src}, passing each completed event to {@code sink}. */
  void feed(ByteBuffer src, Consumer<SseEvent> sink);

  /** The body ended: whatever is still open is dispatched, or reported as cut off. */
  void finish(Consumer<SseEvent> sink);

  /** The decoder for a stream of this content type; server-sent events unless it says otherwise. */
  static FrameDecoder forContentType(String contentType, int maxEventBytes) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
    if (type.startsWith(EventStreamDecoder.CONTENT_TYPE)) {
      return new EventStreamDecoder(maxEventBytes);
    }
    if (type.startsWith("application/x-ndjson")
        || type.startsWith("application/jsonl")
        || type.startsWith("application/json-seq")) {
      return new NdjsonDecoder(maxEventBytes);
    }
    return new SseDecoder(maxEventBytes);
  }
}
