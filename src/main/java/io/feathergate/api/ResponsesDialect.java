package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI's Responses API on the wire, for one exchange: a bridged answer becomes a response object
 * and bridged chunks its named events ({@link ResponsesStream}); an OpenAI or Azure upstream's
 * answer and events go out as they came. Either way the finished response is kept ({@link
 * ResponsesTurn#record}) before the client has it. Errors take OpenAI's shape.
 */
final class ResponsesDialect implements ClientDialect {
  private static final byte[] NONE = new byte[0];

  private final ResponsesTurn turn;

  /** The bridged stream's writer, made with its first chunk. */
  private ResponsesStream stream;

  /** How many upstream events went through, which numbers an error event of the gateway's. */
  private int passedThrough;

  /** Whether the upstream's own failure event already ended the stream. */
  private boolean upstreamFailed;

  ResponsesDialect(ResponsesTurn turn) {
    this.turn = turn;
  }

  @Override
  public byte[] answer(ChatCompletion completion) {
    if (completion.inClientApi()) {
      JsonNode response = Json.readOrNull(completion.json());
      if (response != null) {
        turn.record(response);
      }
      return completion.json();
    }
    JsonNode chat = Json.readOrNull(completion.json());
    ObjectNode response =
        ResponsesObjects.answer(chat == null ? Json.MAPPER.createObjectNode() : chat, turn);
    turn.record(response);
    return Json.bytes(response);
  }

  @Override
  public byte[] chunk(String chunkJson) {
    return stream().chunk(chunkJson);
  }

  private ResponsesStream stream() {
    if (stream == null) {
      stream = new ResponsesStream(turn);
    }
    return stream;
  }

  @Override
  public byte[] event(SseEvent event) {
    passedThrough++;
    String name = event.event();
    if ("response.completed".equals(name) || "response.incomplete".equals(name)) {
      JsonNode data = Json.readOrNull(event.data().getBytes(StandardCharsets.UTF_8));
      if (data != null) {
        turn.record(data.path("response"));
      }
    }
    upstreamFailed |= "error".equals(name) || "response.failed".equals(name);
    return SseFrames.named(name, event.data());
  }

  @Override
  public byte[] end(TokenUsage usage) {
    return passedThrough > 0 ? NONE : stream().end(usage);
  }

  @Override
  public byte[] error(GatewayException failure, String requestId) {
    return ErrorResponses.body(failure, requestId);
  }

  @Override
  public byte[] streamError(GatewayException failure, String requestId) {
    if (upstreamFailed) {
      return NONE;
    }
    ObjectNode error = Json.MAPPER.createObjectNode();
    error.put("code", failure.code());
    error.put("message", failure.getMessage());
    if (passedThrough == 0) {
      return stream().failed(error);
    }
    // an upstream's stream cut short: the Responses API's bare error event
    ObjectNode event = error.deepCopy();
    event.put("type", "error");
    event.putNull("param");
    event.put("sequence_number", passedThrough);
    return SseFrames.named("error", event.toString());
  }
}
