package io.feathergate.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.wire.Json;

/** Converse's answers in OpenAI's terms: the completion, finish reasons and usage. */
final class ConverseAnswers {
  private ConverseAnswers() {}

  /** A Converse response as a {@code chat.completion}. */
  static ObjectNode completion(byte[] body, StreamContext context) {
    JsonNode response = Json.readOrNull(body);
    if (!(response instanceof ObjectNode)) {
      throw GatewayException.upstreamProtocol("the Bedrock response body is not a JSON object");
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (JsonNode block : response.at("/output/message/content")) {
      if (block.has("text")) {
        text.append(block.get("text").asText());
      } else if (block.has("toolUse")) {
        JsonNode use = block.get("toolUse");
        ObjectNode call = calls.addObject();
        call.put("id", use.path("toolUseId").asText());
        call.put("type", "function");
        call.putObject("function")
            .put("name", use.path("name").asText())
            .put(
                "arguments",
                Json.text(
                    use.path("input").isMissingNode()
                        ? Json.MAPPER.createObjectNode()
                        : use.get("input")));
      } else if (block.has("reasoningContent")) {
        reasoning.append(block.at("/reasoningContent/reasoningText/text").asText(""));
      }
    }
    ObjectNode completion = Json.MAPPER.createObjectNode();
    completion.put("id", context.responseId());
    completion.put("object", "chat.completion");
    completion.put("created", context.createdEpochSeconds());
    completion.put("model", context.upstreamModel());
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (text.length() > 0 || calls.isEmpty()) {
      message.put("content", text.toString());
    } else {
      message.putNull("content");
    }
    if (reasoning.length() > 0) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    choice.put("finish_reason", finishReason(response.path("stopReason").asText("")));
    ObjectNode usage = usage(response.get("usage"));
    if (usage != null) {
      completion.set("usage", usage);
    }
    return completion;
  }

  /** Converse's stop reason as OpenAI's finish reason. */
  static String finishReason(String stopReason) {
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "guardrail_intervened", "content_filtered" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, and the malformed_* ones
    };
  }

  /**
   * Converse's usage as OpenAI's: the prompt counts cache reads and writes too (Converse counts
   * them apart), with the cached part in {@code prompt_tokens_details}.
   */
  static ObjectNode usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long input = usage.path("inputTokens").asLong(0);
    long cacheRead = usage.path("cacheReadInputTokens").asLong(0);
    long cacheWrite = usage.path("cacheWriteInputTokens").asLong(0);
    long output = usage.path("outputTokens").asLong(0);
    long prompt = input + cacheRead + cacheWrite;
    ObjectNode openAi = Json.MAPPER.createObjectNode();
    openAi.put("prompt_tokens", prompt);
    openAi.put("completion_tokens", output);
    openAi.put("total_tokens", prompt + output);
    if (cacheRead > 0 || cacheWrite > 0) {
      openAi.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
      openAi.put("cache_read_input_tokens", cacheRead);
      openAi.put("cache_creation_input_tokens", cacheWrite);
    }
    return openAi;
  }
}
