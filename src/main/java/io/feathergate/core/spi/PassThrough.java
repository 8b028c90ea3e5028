package io.feathergate.core.spi;

import io.feathergate.core.errors.GatewayException;

/**
 * How a provider takes a {@link NativeRequest} in its own API untranslated: the client's body goes
 * upstream with only {@code model} replaced, and the answer and events come back as they are. The
 * gateway still reads what it must count (usage) and what it must react to (errors).
 */
public interface PassThrough {

  /** The upstream request for the client's own body ({@link ChatRequest#nativeRequest()}). */
  UpstreamRequest toUpstream(ChatRequest clientRequest, Route route);

  /** The usage a successful whole answer reports, or null. */
  TokenUsage usage(byte[] upstreamBody);

  /** A reader of one successful upstream event stream. */
  Stream newStream();

  /** What the gateway reads of a stream going through: one instance per upstream response. */
  interface Stream {

    /**
     * Reads one event before it goes to the client.
     *
     * @return null for an ordinary event; the failure an error event reports (the event still goes
     *     to the client when the stream has begun)
     */
    GatewayException onEvent(SseEvent event);

    /** The upstream ended the stream: null when it ended complete, else what went wrong. */
    GatewayException onEnd();

    /** The usage reported so far, or null while none was reported. */
    TokenUsage usage();
  }
}
