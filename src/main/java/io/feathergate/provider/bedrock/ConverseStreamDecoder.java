package io.feathergate.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ConverseStream's events as OpenAI chunks. Text blocks begin with their first delta (only tool-use
 * blocks have a {@code contentBlockStart}); a tool call's arguments arrive as fragments of a JSON
 * string, relayed as OpenAI relays them; tool calls are numbered in the order they start, not by
 * content block. {@code metadata}, with the usage, comes after {@code messageStop}: the finish
 * chunk waits for it (or for the end of the stream). An exception message ends the stream with its
 * error.
 */
final class ConverseStreamDecoder implements StreamDecoder {
  private final StreamContext context;
  private final Map<Integer, Integer> toolIndexOfBlock = new HashMap<>();
  private boolean started;
  private String finishReason;
  private boolean finished;
  private TokenUsage usage;
  private ObjectNode openAiUsage;

  ConverseStreamDecoder(StreamContext context) {
    this.context = context;
  }

  @Override
  public void onEvent(SseEvent event, List<String> out) {
    String messageType = event.id();
    if ("exception".equals(messageType) || "error".equals(messageType)) {
      throw BedrockErrors.fromStream(event.event(), event.data());
    }
    if (finished || event.event() == null) {
      return;
    }
    JsonNode payload = Json.readOrNull(event.data().getBytes(StandardCharsets.UTF_8));
    if (payload == null || !payload.isObject()) {
      throw GatewayException.upstreamProtocol("a Bedrock stream event is not a JSON object");
    }
    switch (event.event()) {
      case "messageStart" -> start(out);
      case "contentBlockStart" -> {
        start(out);
        JsonNode toolUse = payload.at("/start/toolUse");
        if (toolUse.isObject()) {
          int index = toolIndexOfBlock.size();
          toolIndexOfBlock.put(payload.path("contentBlockIndex").asInt(), index);
          ObjectNode delta = Json.MAPPER.createObjectNode();
          ObjectNode call = delta.putArray("tool_calls").addObject();
          call.put("index", index);
          call.put("id", toolUse.path("toolUseId").asText());
          call.put("type", "function");
          call.putObject("function")
              .put("name", toolUse.path("name").asText())
              .put("arguments", "");
          out.add(chunk(delta, null));
        }
      }
      case "contentBlockDelta" -> {
        start(out);
        JsonNode delta = payload.path("delta");
        if (delta.path("text").isTextual()) {
          String text = delta.get("text").asText();
          if (!text.isEmpty()) {
            out.add(chunk(Json.MAPPER.createObjectNode().put("content", text), null));
          }
        } else if (delta.at("/toolUse/input").isTextual()) {
          Integer index = toolIndexOfBlock.get(payload.path("contentBlockIndex").asInt());
          if (index == null) {
            throw GatewayException.upstreamProtocol(
                "a Bedrock tool-use delta arrived before its block started");
          }
          ObjectNode openAi = Json.MAPPER.createObjectNode();
          ObjectNode call = openAi.putArray("tool_calls").addObject();
          call.put("index", index);
          call.putObject("function").put("arguments", delta.at("/toolUse/input").asText());
          out.add(chunk(openAi, null));
        } else if (delta.at("/reasoningContent/text").isTextual()) {
          out.add(
              chunk(
                  Json.MAPPER
                      .createObjectNode()
                      .put("reasoning_content", delta.at("/reasoningContent/text").asText()),
                  null));
        }
      }
      case "messageStop" -> {
        start(out);
        finishReason = ConverseAnswers.finishReason(payload.path("stopReason").asText(""));
      }
      case "metadata" -> {
        openAiUsage = ConverseAnswers.usage(payload.get("usage"));
        usage = TokenUsage.of(openAiUsage);
        finish(out);
      }
      default -> {
        // contentBlockStop, and events this gateway does not know yet
      }
    }
  }

  private void start(List<String> out) {
    if (!started) {
      started = true;
      out.add(
          chunk(Json.MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null));
    }
  }

  private void finish(List<String> out) {
    if (finished) {
      return;
    }
    finished = true;
    start(out);
    out.add(chunk(Json.MAPPER.createObjectNode(), finishReason == null ? "stop" : finishReason));
    if (openAiUsage != null && context != null && context.clientRequest().includeUsage()) {
      ObjectNode usageChunk = base();
      usageChunk.putArray("choices");
      usageChunk.set("usage", openAiUsage);
      out.add(Json.text(usageChunk));
    }
  }

  @Override
  public void onEnd(List<String> out) {
    if (!finished && finishReason == null) {
      throw GatewayException.upstreamProtocol("the Bedrock stream ended before its messageStop");
    }
    finish(out);
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  private ObjectNode base() {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.put("id", context == null ? "chatcmpl-bedrock" : context.responseId());
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", context == null ? 0 : context.createdEpochSeconds());
    chunk.put("model", context == null ? "" : context.upstreamModel());
    return chunk;
  }

  private String chunk(ObjectNode delta, String finish) {
    ObjectNode chunk = base();
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    return Json.text(chunk);
  }
}
