package io.feathergate.core.spi;

import java.util.List;

/**
 * Turns one upstream event stream into chunks of the gateway's chat schema (OpenAI's {@code
 * chat.completion.chunk} JSON). One instance per upstream response; a state machine fed events in
 * order. The edge frames the chunks in the client's dialect.
 */
public interface StreamDecoder {

  /**
   * Handles one upstream event.
   *
   * @param out receives the chunk JSON payloads this event produces, in order
   * @throws io.feathergate.core.errors.GatewayException when the upstream reports an error inside
   *     the stream
   */
  void onEvent(SseEvent event, List<String> out);

  /** The upstream stream ended; emits whatever is still pending. */
  void onEnd(List<String> out);

  /**
   * The token usage the upstream reported so far (its last report, as streams report cumulative
   * counts), whether or not the client asked to see it; null while it has reported none.
   */
  TokenUsage usage();
}
