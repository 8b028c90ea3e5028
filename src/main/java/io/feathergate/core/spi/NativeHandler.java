package io.feathergate.core.spi;

import io.feathergate.core.errors.GatewayException;
import java.util.List;

/**
 * How a provider serves a {@link NativeRequest} without the chat translation. Usually a
 * pass-through: the client's body goes upstream with only {@code model} replaced, and the answer
 * and events come back as they are (Anthropic's messages to Anthropic, OpenAI's embeddings to
 * OpenAI); a provider with its own form of the same service translates the request and the answer
 * ({@link #answer}). The gateway still reads what it must count (usage) and what it must react to
 * (errors).
 */
public interface NativeHandler {

  /** The upstream request for the client's own body ({@link ChatRequest#nativeRequest()}). */
  UpstreamRequest toUpstream(ChatRequest clientRequest, Route route);

  /**
   * The upstream requests for the client's body, when the provider needs several (one per input
   * text): sent at once, and their whole answers, when all succeed, come to {@link #answer} as one
   * JSON array of their bodies, in this order. A single request's answer comes as it is.
   */
  default List<UpstreamRequest> toUpstreams(ChatRequest clientRequest, Route route) {
    return List.of(toUpstream(clientRequest, route));
  }

  /**
   * A successful whole answer in the client's API: the upstream's own bytes for a pass-through.
   *
   * @param clientRequest the request it answers
   */
  default byte[] answer(byte[] upstreamBody, ChatRequest clientRequest) {
    return upstreamBody;
  }

  /** The content type of a successful whole answer: JSON, unless the API answers otherwise. */
  default String contentType(ChatRequest clientRequest) {
    return ChatCompletion.JSON;
  }

  /** The usage a successful whole answer ({@link #answer}) reports, or null. */
  TokenUsage usage(byte[] answer);

  /** A reader of one successful upstream event stream. */
  Stream newStream();

  /**
   * The stream reader of an API whose answers are never streams (embeddings): an upstream that
   * answers with one has broken the protocol.
   */
  Stream NO_STREAM =
      new Stream() {
        @Override
        public GatewayException onEvent(SseEvent event) {
          return GatewayException.upstreamProtocol("an answer that is never a stream came as one");
        }

        @Override
        public GatewayException onEnd() {
          return onEvent(null);
        }

        @Override
        public TokenUsage usage() {
          return null;
        }
      };

  /** What the gateway reads of a stream going through: one instance per upstream response. */
  interface Stream {

    /**
     * Reads one event before it goes to the client.
     *
     * @return null for an ordinary event; the failure an error event reports (the event still goes
     *     to the client when the stream has begun)
     */
    GatewayException onEvent(SseEvent event);

    /**
     * Whether the event is the upstream's end-of-stream marker, which is not passed on: the
     * client's dialect writes its own (OpenAI's {@code data: [DONE]}).
     */
    default boolean isTerminator(SseEvent event) {
      return false;
    }

    /** The upstream ended the stream: null when it ended complete, else what went wrong. */
    GatewayException onEnd();

    /** The usage reported so far, or null while none was reported. */
    TokenUsage usage();
  }
}
