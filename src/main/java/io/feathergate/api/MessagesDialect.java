package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;

/**
 * Anthropic's Messages API on the wire, for one exchange: a translated answer becomes a {@code
 * message}, translated chunks become Anthropic's named events, an Anthropic upstream's answer and
 * events go out as they came, and errors take Anthropic's shape and statuses.
 */
final class MessagesDialect implements ClientDialect {
  private static final byte[] NONE = new byte[0];

  private final ToolNames toolNames;
  private final boolean countTokens;

  /** The translated stream's writer, made with its first chunk: most answers are not streams. */
  private MessagesStream stream;

  /** Whether the stream is an upstream's own, passed through: it brings its own end. */
  private boolean passedThrough;

  /** Whether the upstream's own error event already ended the stream. */
  private boolean upstreamError;

  MessagesDialect(ToolNames toolNames, boolean countTokens) {
    this.toolNames = toolNames;
    this.countTokens = countTokens;
  }

  @Override
  public byte[] answer(ChatCompletion completion) {
    if (completion.inClientApi()) {
      return completion.json();
    }
    JsonNode answer = Json.readOrNull(completion.json());
    if (answer == null) {
      answer = Json.MAPPER.createObjectNode();
    }
    if (countTokens) {
      // the gateway's estimate for a provider without a counting call
      ObjectNode count = Json.MAPPER.createObjectNode();
      count.put("input_tokens", answer.path("prompt_tokens").asLong(0));
      return Json.bytes(count);
    }
    return Json.bytes(MessagesAnswer.of(answer, toolNames));
  }

  @Override
  public byte[] chunk(String chunkJson) {
    return stream().chunk(chunkJson);
  }

  private MessagesStream stream() {
    if (stream == null) {
      stream = new MessagesStream(toolNames);
    }
    return stream;
  }

  @Override
  public byte[] event(SseEvent event) {
    passedThrough = true;
    upstreamError |= "error".equals(event.event());
    return SseFrames.named(event.event(), event.data());
  }

  @Override
  public byte[] end(TokenUsage usage) {
    return passedThrough ? NONE : stream().end(usage);
  }

  @Override
  public int status(GatewayException failure) {
    return MessagesErrors.status(failure);
  }

  @Override
  public byte[] error(GatewayException failure, String requestId) {
    return MessagesErrors.body(failure, requestId);
  }

  @Override
  public byte[] streamError(GatewayException failure, String requestId) {
    if (upstreamError) {
      return NONE;
    }
    return SseFrames.named("error", MessagesErrors.node(failure, requestId).toString());
  }
}
