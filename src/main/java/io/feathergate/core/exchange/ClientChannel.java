package io.feathergate.core.exchange;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;
import java.util.Map;

/**
 * The client side of one exchange, implemented at the HTTP edge, which frames what core hands it
 * (answers and chunks of the gateway's chat schema, {@link GatewayException}s) in the dialect of
 * the route the client called. Every method may be called from any thread and never blocks: bytes
 * are queued and written as the client reads them.
 */
public interface ClientChannel {

  /** Sends a whole successful answer and completes the exchange. */
  void respond(Map<String, String> headers, ChatCompletion completion);

  /**
   * Queues one {@code chat.completion.chunk}; the first call commits a 200 stream response with
   * {@code headers}.
   *
   * @return {@link #hasRoom()} after queuing the chunk
   */
  boolean sendChunk(Map<String, String> headers, String chunkJson);

  /**
   * Queues one event of an upstream that speaks the client's own API ({@link
   * io.feathergate.core.spi.NativeHandler}), to go out as it came; the first call commits a 200
   * stream response with {@code headers}.
   *
   * @return {@link #hasRoom()} after queuing the event
   */
  boolean sendEvent(Map<String, String> headers, SseEvent event);

  /**
   * Whether the client keeps up: false once too much is queued for it. The drained callback of
   * {@link #bind} runs when it has caught up again.
   */
  boolean hasRoom();

  /**
   * Completes a stream once every queued chunk is written, with the dialect's closing frames; a
   * stream that had no chunk at all is committed here, with {@code headers}.
   *
   * @param usage the stream's token usage as the upstream reported it, or null when it did not
   */
  void endStream(Map<String, String> headers, TokenUsage usage);

  /**
   * Reports a failure: an error response before anything was sent, or the stream's final error
   * event once a stream has begun. Completes the exchange.
   */
  void fail(GatewayException failure);

  /** Whether the response status and headers are already on their way to the client. */
  boolean isCommitted();

  /**
   * Registers what to run when the client side is ready for more after {@link #sendChunk} returned
   * false, and what to run once if the client goes away or the exchange is aborted.
   */
  void bind(Runnable onDrained, Runnable onClientGone);
}
