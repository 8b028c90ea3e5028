package io.feathergate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;

/**
 * What the gateway reads of a Responses API stream passed through: the usage in the final {@code
 * response.completed} (or {@code response.incomplete}), and the failures it reports ({@code error},
 * {@code response.failed}). Only those few events are parsed; the deltas go by unread. A stream
 * that ends before a final event is cut short.
 */
final class ResponsesEventStream implements NativeHandler.Stream {
  private TokenUsage usage;
  private boolean finished;

  @Override
  public GatewayException onEvent(SseEvent event) {
    String type = event.event();
    if (type == null || type.isEmpty()) {
      return data(event).path("type").asText("").equals("error") ? failure(data(event)) : null;
    }
    switch (type) {
      case "response.completed", "response.incomplete" -> {
        finished = true;
        usage = TokenUsage.of(data(event).path("response").get("usage"));
        return null;
      }
      case "response.failed" -> {
        finished = true;
        JsonNode error = data(event).path("response").path("error");
        return failure(error.isObject() ? error : data(event));
      }
      case "error" -> {
        return failure(data(event));
      }
      default -> {
        return null;
      }
    }
  }

  private static JsonNode data(SseEvent event) {
    JsonNode data = Json.readOrNull(event.data().getBytes(StandardCharsets.UTF_8));
    return data == null ? Json.MAPPER.createObjectNode() : data;
  }

  /** The failure an {@code error} object ({@code code}, {@code message}) reports. */
  private static GatewayException failure(JsonNode error) {
    if (error.hasNonNull("message")) {
      if (error.path("type").asText("").equals("error") && error.isObject()) {
        // the bare error event's type names the event, not the error
        com.fasterxml.jackson.databind.node.ObjectNode copy = error.deepCopy();
        copy.remove("type");
        return OpenAiErrors.fromErrorObject(500, copy);
      }
      return OpenAiErrors.fromErrorObject(500, error);
    }
    return GatewayException.upstreamProtocol("the stream reported an error without a message");
  }

  @Override
  public boolean isTerminator(SseEvent event) {
    // OpenAI ends a Responses stream with response.completed; some compatible servers add [DONE]
    return event.data().strip().equals("[DONE]");
  }

  @Override
  public GatewayException onEnd() {
    return finished
        ? null
        : GatewayException.upstreamProtocol("the stream ended before its response.completed event");
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }
}
