package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;

/**
 * How the dialect of the route a client called (OpenAI's chat completions, Anthropic's messages)
 * puts the gateway's answers, chunks and errors on the wire. Core hands the channel the gateway's
 * own types; the dialect frames them. One instance per exchange, so that a dialect may keep state
 * across a stream; its methods are called one at a time, in the exchange's order.
 */
interface ClientDialect {

  /**
   * The body of a whole successful answer ({@code application/json}); an answer {@link
   * ChatCompletion#inClientApi() passed through} is already in the dialect.
   */
  byte[] answer(ChatCompletion completion);

  /** The frames for one {@code chat.completion.chunk}; may be empty. */
  byte[] chunk(String chunkJson);

  /** The frames for one event of an upstream that speaks this dialect, as it came. */
  default byte[] event(SseEvent event) {
    return SseFrames.named(event.event(), event.data());
  }

  /** The frames that close a stream, given the usage the upstream reported (or null). */
  byte[] end(TokenUsage usage);

  /** The status of an error response before anything was sent. */
  default int status(GatewayException failure) {
    return failure.status();
  }

  /** The body of an error response ({@code application/json}) before anything was sent. */
  byte[] error(GatewayException failure, String requestId);

  /** The last frames of a stream that failed after it began. */
  byte[] streamError(GatewayException failure, String requestId);
}
