package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.TokenUsage;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI's chat completions on the wire: the completion as it is, each chunk as {@code data:
 * <json>}, {@code data: [DONE]} at the end, errors as OpenAI's error body. Keeps no state: one
 * instance serves every exchange, and a pass-through answer's bytes go out untouched.
 */
final class OpenAiDialect implements ClientDialect {
  static final OpenAiDialect INSTANCE = new OpenAiDialect();

  private OpenAiDialect() {}

  @Override
  public byte[] answer(ChatCompletion completion) {
    return completion.json();
  }

  @Override
  public byte[] chunk(String chunkJson) {
    return SseFrames.data(chunkJson);
  }

  @Override
  public byte[] end(TokenUsage usage) {
    return SseFrames.done();
  }

  @Override
  public byte[] error(GatewayException failure, String requestId) {
    return ErrorResponses.body(failure, requestId);
  }

  @Override
  public byte[] streamError(GatewayException failure, String requestId) {
    // the stream is under way: its last event is the error, and no [DONE] follows
    return SseFrames.error(
        new String(ErrorResponses.body(failure, requestId), StandardCharsets.UTF_8));
  }
}
