package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.wire.Json;

/** An Anthropic Message as an OpenAI {@code chat.completion}. */
final class AnthropicResponseMapper {
  private AnthropicResponseMapper() {}

  static ObjectNode map(byte[] upstreamBody, StreamContext context) {
    JsonNode root = Json.readOrNull(upstreamBody);
    if (root == null || !root.isObject()) {
      throw GatewayException.upstreamProtocol("the Anthropic response is not a JSON object");
    }
    if ("error".equals(root.path("type").asText())) {
      throw AnthropicErrors.fromErrorBody(root);
    }
    boolean jsonMode = JsonMode.requested(context.clientRequest().body());
    StringBuilder text = null;
    StringBuilder reasoning = null;
    String jsonAnswer = null;
    ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    ArrayNode thinkingBlocks = Json.MAPPER.createArrayNode();
    for (JsonNode block : root.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> {
          text = text == null ? new StringBuilder() : text;
          text.append(block.path("text").asText());
        }
        case "tool_use" -> {
          String arguments = Json.text(block.path("input"));
          if (jsonMode && JsonMode.TOOL_NAME.equals(block.path("name").asText())) {
            jsonAnswer = arguments;
          } else {
            toolCalls.add(toolCall(block, arguments));
          }
        }
        case "thinking" -> {
          reasoning = reasoning == null ? new StringBuilder() : reasoning;
          reasoning.append(block.path("thinking").asText());
          thinkingBlocks.add(block);
        }
        case "redacted_thinking" -> thinkingBlocks.add(block);
        default -> {
          // server tools, their results, compaction: nothing an OpenAI message can carry
        }
      }
    }
    ObjectNode completion = Json.MAPPER.createObjectNode();
    completion.put("id", AnthropicJson.textOr(root.get("id"), context.responseId()));
    completion.put("object", "chat.completion");
    completion.put("created", context.createdEpochSeconds());
    completion.put("model", AnthropicJson.textOr(root.get("model"), context.upstreamModel()));
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    // the JSON the client asked for is the answer: text around the tool call is commentary
    message.put("content", jsonAnswer != null ? jsonAnswer : text == null ? null : text.toString());
    String stopReason = AnthropicJson.text(root.get("stop_reason"));
    message.put("refusal", StopReasons.refusal(stopReason, root.get("stop_details")));
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    if (reasoning != null) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!thinkingBlocks.isEmpty()) {
      message.set("thinking_blocks", thinkingBlocks);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(stopReason, jsonAnswer != null, toolCalls.size()));
    completion.set("usage", AnthropicUsage.from(root.get("usage")).toOpenAi());
    return completion;
  }

  /**
   * The JSON-mode tool is the answer, not a call for the client to make: when it was the only tool
   * used, the answer is complete ({@code stop}), not waiting for tool results.
   */
  static String finishReason(String stopReason, boolean jsonAnswered, int toolCalls) {
    if (jsonAnswered && "tool_use".equals(stopReason) && toolCalls == 0) {
      return "stop";
    }
    return StopReasons.toFinishReason(stopReason);
  }

  private static ObjectNode toolCall(JsonNode block, String arguments) {
    ObjectNode call = Json.MAPPER.createObjectNode();
    call.set("id", block.get("id"));
    call.put("type", "function");
    ObjectNode function = call.putObject("function");
    function.set("name", block.get("name"));
    function.put("arguments", arguments);
    return call;
  }
}
