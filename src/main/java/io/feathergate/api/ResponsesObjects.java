package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;

/**
 * The Responses API's objects, as the gateway writes them for a bridged provider: the response
 * (echoing what the client asked for), its output items and its usage.
 */
final class ResponsesObjects {
  private ResponsesObjects() {}

  /**
   * A response object.
   *
   * @param status {@code in_progress}, {@code completed}, {@code incomplete} or {@code failed}
   * @param model the model that answered, or null for the one the client named
   * @param output the output items so far
   * @param usage the Responses API's usage, or null
   * @param finishReason chat's finish reason, which says why a response is incomplete; or null
   * @param error the error of a failed response, or null
   */
  static ObjectNode response(
      ResponsesTurn turn,
      String status,
      String model,
      ArrayNode output,
      JsonNode usage,
      String finishReason,
      ObjectNode error) {
    ObjectNode request = turn.request();
    ObjectNode response = Json.MAPPER.createObjectNode();
    response.put("id", turn.responseId());
    response.put("object", "response");
    response.put("created_at", turn.createdAt());
    response.put("status", status);
    response.put("background", false);
    response.set("error", error == null ? Json.MAPPER.nullNode() : error);
    if (status.equals("incomplete")) {
      response
          .putObject("incomplete_details")
          .put(
              "reason",
              "content_filter".equals(finishReason) ? "content_filter" : "max_output_tokens");
    } else {
      response.putNull("incomplete_details");
    }
    echo(request, response, "instructions", null);
    echo(request, response, "max_output_tokens", null);
    echo(request, response, "metadata", Json.MAPPER.createObjectNode());
    response.put(
        "model", model == null || model.isEmpty() ? request.path("model").asText() : model);
    response.set("output", output);
    echo(request, response, "parallel_tool_calls", Json.MAPPER.getNodeFactory().booleanNode(true));
    echo(request, response, "previous_response_id", null);
    echo(request, response, "reasoning", Json.MAPPER.createObjectNode().putNull("effort"));
    response.put("store", request.path("store").asBoolean(true));
    echo(request, response, "temperature", Json.MAPPER.getNodeFactory().numberNode(1.0));
    echo(
        request,
        response,
        "text",
        Json.MAPPER
            .createObjectNode()
            .set("format", Json.MAPPER.createObjectNode().put("type", "text")));
    echo(request, response, "tool_choice", Json.MAPPER.getNodeFactory().textNode("auto"));
    echo(request, response, "tools", Json.MAPPER.createArrayNode());
    echo(request, response, "top_p", Json.MAPPER.getNodeFactory().numberNode(1.0));
    echo(request, response, "truncation", Json.MAPPER.getNodeFactory().textNode("disabled"));
    response.set("usage", usage == null ? Json.MAPPER.nullNode() : usage);
    echo(request, response, "user", null);
    return response;
  }

  /** The client's value of a field, else its default (null when {@code otherwise} is). */
  private static void echo(
      ObjectNode request, ObjectNode response, String field, JsonNode otherwise) {
    JsonNode value = request.get(field);
    if (value != null && !value.isNull()) {
      response.set(field, value);
    } else if (otherwise != null) {
      response.set(field, otherwise);
    } else {
      response.putNull(field);
    }
  }

  /** The status a chat finish reason gives a finished response. */
  static String status(String finishReason) {
    return "length".equals(finishReason) || "content_filter".equals(finishReason)
        ? "incomplete"
        : "completed";
  }

  /** An assistant message item with one text part. */
  static ObjectNode message(String id, String status, String text) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("id", id);
    item.put("type", "message");
    item.put("status", status);
    item.put("role", "assistant");
    ArrayNode content = item.putArray("content");
    if (text != null) {
      content.add(textPart(text));
    }
    return item;
  }

  static ObjectNode textPart(String text) {
    ObjectNode part = Json.MAPPER.createObjectNode();
    part.put("type", "output_text");
    part.put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  static ObjectNode functionCall(
      String id, String status, String callId, String name, String arguments) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("id", id);
    item.put("type", "function_call");
    item.put("status", status);
    item.put("call_id", callId);
    item.put("name", name);
    item.put("arguments", arguments);
    return item;
  }

  /** A reasoning item whose summary is the model's reasoning text (null while it streams). */
  static ObjectNode reasoning(String id, String text) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("id", id);
    item.put("type", "reasoning");
    ArrayNode summary = item.putArray("summary");
    if (text != null) {
      summary.addObject().put("type", "summary_text").put("text", text);
    }
    return item;
  }

  /** Chat's usage (or the gateway's counts) in the Responses API's names. */
  static ObjectNode usage(JsonNode chatUsage, TokenUsage counted) {
    if ((chatUsage == null || !chatUsage.isObject()) && counted == null) {
      return null;
    }
    long input =
        chatUsage != null && chatUsage.has("prompt_tokens")
            ? chatUsage.path("prompt_tokens").asLong()
            : counted == null ? 0 : counted.promptTokens();
    long output =
        chatUsage != null && chatUsage.has("completion_tokens")
            ? chatUsage.path("completion_tokens").asLong()
            : counted == null ? 0 : counted.completionTokens();
    ObjectNode usage = Json.MAPPER.createObjectNode();
    usage.put("input_tokens", input);
    usage
        .putObject("input_tokens_details")
        .put(
            "cached_tokens",
            chatUsage == null
                ? 0
                : chatUsage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
    usage.put("output_tokens", output);
    usage
        .putObject("output_tokens_details")
        .put(
            "reasoning_tokens",
            chatUsage == null
                ? 0
                : chatUsage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    usage.put("total_tokens", input + output);
    return usage;
  }

  /** A chat completion as a finished response. */
  static ObjectNode answer(JsonNode completion, ResponsesTurn turn) {
    JsonNode choice = completion.path("choices").path(0);
    JsonNode message = choice.path("message");
    ArrayNode output = Json.MAPPER.createArrayNode();
    String reasoning = message.path("reasoning_content").asText("");
    if (!reasoning.isEmpty()) {
      output.add(reasoning(turn.itemId("rs", output.size()), reasoning));
    }
    JsonNode content = message.get("content");
    if (content != null && content.isTextual() && !content.asText().isEmpty()) {
      output.add(message(turn.itemId("msg", output.size()), "completed", content.asText()));
    }
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      output.add(
          functionCall(
              turn.itemId("fc", output.size()),
              "completed",
              call.path("id").asText(turn.itemId("call", output.size())),
              function.path("name").asText(),
              function.path("arguments").asText("")));
    }
    String finish = choice.path("finish_reason").asText(null);
    return response(
        turn,
        status(finish),
        completion.path("model").asText(null),
        output,
        usage(completion.get("usage"), null),
        finish,
        null);
  }
}
