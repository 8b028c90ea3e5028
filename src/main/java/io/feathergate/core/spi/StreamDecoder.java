package io.feathergate.core.spi;

import io.feathergate.core.errors.GatewayException;
import java.util.List;

/**
 * Turns one upstream event stream into OpenAI {@code chat.completion.chunk} JSON payloads. One
 * instance per upstream response; a state machine fed events in order.
 */
public interface StreamDecoder {

  /**
   * Handles one upstream event.
   *
   * @param out receives the OpenAI chunk JSON payloads this event produces, in order
   * @throws GatewayException when the upstream reports an error inside the stream
   */
  void onEvent(SseEvent event, List<String> out);

  /** The upstream stream ended; emits whatever is still pending. */
  void onEnd(List<String> out);
}
