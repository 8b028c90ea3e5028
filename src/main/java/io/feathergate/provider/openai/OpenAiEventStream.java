package io.feathergate.provider.openai;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;

/**
 * What the gateway reads of an OpenAI event stream passed through (legacy completions): the last
 * usage reported, an {@code {"error":...}} event, which ends the attempt, and {@code [DONE]}, which
 * the client's dialect writes itself. A stream that ends without {@code [DONE]} is complete, as
 * OpenAI's clients take it.
 */
final class OpenAiEventStream implements NativeHandler.Stream {
  private static final String DONE = "[DONE]";

  private TokenUsage usage;

  @Override
  public GatewayException onEvent(SseEvent event) {
    String data = event.data().strip();
    if (data.equals(DONE)) {
      return null;
    }
    if ("error".equals(event.event()) || OpenAiStreamDecoder.startsWithErrorKey(data)) {
      return OpenAiStreamDecoder.streamError(data);
    }
    TokenUsage reported = UsageScanner.find(data);
    if (reported != null) {
      usage = reported;
    }
    return null;
  }

  @Override
  public boolean isTerminator(SseEvent event) {
    return event.data().strip().equals(DONE);
  }

  @Override
  public GatewayException onEnd() {
    return null;
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }
}
