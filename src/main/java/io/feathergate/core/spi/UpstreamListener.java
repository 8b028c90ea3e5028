package io.feathergate.core.spi;

import io.feathergate.core.errors.GatewayException;
import java.util.Map;

/**
 * Receives one upstream exchange, on the transport's I/O threads: implementations must never block.
 */
public interface UpstreamListener {

  /**
   * The exchange about to start, handed over before any other callback can run: callbacks come from
   * I/O threads and may arrive before {@link UpstreamClient#send} has returned.
   */
  void onSend(UpstreamCall call);

  /**
   * A whole response: every non-streaming response, every non-2xx answer to a streaming request,
   * and a 2xx JSON (not event-stream) answer to one.
   *
   * @param headers lower-case header names
   */
  void onResponse(int status, Map<String, String> headers, byte[] body);

  /** A 2xx answer to a streaming request has begun; events follow. */
  void onStreamStart(int status, Map<String, String> headers);

  /** One decoded event. */
  void onEvent(SseEvent event);

  /**
   * Whether the client side can take more now. Asked each time the transport is about to read more;
   * when false the transport stops reading until {@link UpstreamCall#resume()}.
   */
  boolean wantsMore();

  /** The stream ended cleanly. */
  void onStreamEnd();

  /** The exchange failed: unreachable, timed out, reset, or a protocol error. */
  void onFailure(GatewayException failure);
}
