package io.feathergate.api;

import java.nio.charset.StandardCharsets;

/** The bytes of the stream frames the gateway writes to clients. */
final class SseFrames {
  private static final byte[] PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR_EVENT = "event: error\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseFrames() {}

  /** {@code data: <json>\n\n}: every event ends with a blank line, even the last one. */
  static byte[] data(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[PREFIX.length + payload.length + 2];
    System.arraycopy(PREFIX, 0, frame, 0, PREFIX.length);
    System.arraycopy(payload, 0, frame, PREFIX.length, payload.length);
    frame[frame.length - 2] = '\n';
    frame[frame.length - 1] = '\n';
    return frame;
  }

  /**
   * {@code event: error\ndata: <json>\n\n}: a failure after the stream began. OpenAI's SDKs,
   * LangChain and Spring AI read the error from the data of any event; LangChain4j only treats
   * events named {@code error} as errors, so the event is named too.
   */
  static byte[] error(String json) {
    byte[] data = data(json);
    byte[] frame = new byte[ERROR_EVENT.length + data.length];
    System.arraycopy(ERROR_EVENT, 0, frame, 0, ERROR_EVENT.length);
    System.arraycopy(data, 0, frame, ERROR_EVENT.length, data.length);
    return frame;
  }

  /**
   * {@code event: <name>\ndata: <data>\n\n}, a named event (without its {@code event:} line when
   * {@code name} is null); data of several lines gets a {@code data:} line each.
   */
  static byte[] named(String name, String data) {
    StringBuilder frame = new StringBuilder(data.length() + 32);
    if (name != null) {
      frame.append("event: ").append(name).append('\n');
    }
    int from = 0;
    while (true) {
      int lineEnd = data.indexOf('\n', from);
      frame.append("data: ").append(data, from, lineEnd < 0 ? data.length() : lineEnd).append('\n');
      if (lineEnd < 0) {
        break;
      }
      from = lineEnd + 1;
    }
    return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The final {@code data: [DONE]} frame; callers must not modify it. */
  static byte[] done() {
    return DONE;
  }
}
