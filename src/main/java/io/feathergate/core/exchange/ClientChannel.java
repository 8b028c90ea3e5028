package io.feathergate.core.exchange;

import io.feathergate.core.errors.GatewayException;
import java.util.Map;

/**
 * The client side of one exchange, implemented at the HTTP edge. Every method may be called from
 * any thread and never blocks: bytes are queued and written as the client reads them.
 */
public interface ClientChannel {

  /** Sends a whole JSON response and completes the exchange. */
  void respond(int status, Map<String, String> headers, byte[] json);

  /**
   * Queues one server-sent event frame; the first call commits a 200 {@code text/event-stream}
   * response with {@code headers}.
   *
   * @return {@link #hasRoom()} after queuing the frame
   */
  boolean sendEvent(Map<String, String> headers, byte[] frame);

  /**
   * Whether the client keeps up: false once too much is queued for it. The drained callback of
   * {@link #bind} runs when it has caught up again.
   */
  boolean hasRoom();

  /** Completes a stream once every queued frame is written. */
  void endStream();

  /**
   * Reports a failure: an OpenAI error response before anything was sent, or a final {@code data:
   * {"error":...}} event once a stream has begun. Completes the exchange.
   */
  void fail(GatewayException failure);

  /** Whether the response status and headers are already on their way to the client. */
  boolean isCommitted();

  /**
   * Registers what to run when the client side is ready for more after {@link #sendEvent} returned
   * false, and what to run once if the client goes away or the exchange is aborted.
   */
  void bind(Runnable onDrained, Runnable onClientGone);
}
