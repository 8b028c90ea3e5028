package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.e2e.FakeUpstream.Received;
import io.feathergate.e2e.FakeUpstream.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's Messages dialect: content blocks, named stream events, {@code tool_use} and {@code
 * tool_result} blocks, and 529 for an overloaded API. Requests pass {@link FakeAnthropicRules}
 * first.
 */
final class AnthropicFake implements ProviderFake {
  static final String KEY = "sk-ant-contract-key";
  static final String MODEL = "claude-sonnet-4-5";

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public Map<String, String> litellmParams(String origin) {
    // the bare host, Anthropic's documented base: the gateway adds /v1/messages
    return Map.of("model", "anthropic/" + MODEL, "api_base", origin);
  }

  @Override
  public String apiKey() {
    return KEY;
  }

  @Override
  public boolean rejects(Received request, Reply reply) throws IOException {
    return FakeAnthropicRules.reject(request, reply);
  }

  @Override
  public String receivedKey(Received request) {
    return request.headers().get("x-api-key");
  }

  @Override
  public boolean askedForStream(Received request) {
    return ProviderFake.body(request).path("stream").asBoolean(false);
  }

  @Override
  public String lastUserText(Received request) {
    return text(lastMessage(request).path("content"));
  }

  @Override
  public List<String> declaredTools(Received request) {
    List<String> names = new ArrayList<>();
    ProviderFake.body(request).path("tools").forEach(t -> names.add(t.path("name").asText()));
    return names;
  }

  @Override
  public ToolResult toolResult(Received request) {
    for (JsonNode block : lastMessage(request).path("content")) {
      if ("tool_result".equals(block.path("type").asText())) {
        return new ToolResult(
            block.path("tool_use_id").asText(), null, text(block.path("content")));
      }
    }
    return null;
  }

  private static JsonNode lastMessage(Received request) {
    JsonNode messages = ProviderFake.body(request).path("messages");
    return messages.get(messages.size() - 1);
  }

  /** Content as a string, or the text of its text blocks. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    content.forEach(b -> text.append(b.path("text").asText()));
    return text.toString();
  }

  @Override
  public void answerText(Received request, Reply reply, String text, Usage usage)
      throws IOException {
    ObjectNode block = ClientSide.JSON.createObjectNode().put("type", "text").put("text", text);
    reply.json(200, message(block, "end_turn", usage).toString());
  }

  @Override
  public void answerToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    ObjectNode block = toolUse(call);
    block.set("input", ClientSide.parse(call.arguments()));
    reply.json(200, message(block, "tool_use", usage).toString());
  }

  @Override
  public void startStream(Received request, Reply reply, Usage usage) throws IOException {
    reply.startStream();
    messageStart(reply, usage);
    event(reply, "content_block_start", blockStart("{\"type\":\"text\",\"text\":\"\"}"));
  }

  @Override
  public void streamText(Reply reply, String delta) throws IOException {
    ObjectNode event = blockEvent("content_block_delta");
    event.putObject("delta").put("type", "text_delta").put("text", delta);
    event(reply, "content_block_delta", event.toString());
  }

  @Override
  public void endStream(Received request, Reply reply, Usage usage) throws IOException {
    finish(reply, "end_turn", usage);
  }

  @Override
  public void streamToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    reply.startStream();
    messageStart(reply, usage);
    ObjectNode block = toolUse(call);
    block.putObject("input");
    event(reply, "content_block_start", blockStart(block.toString()));
    // the arguments arrive as fragments that are not JSON on their own
    String arguments = call.arguments();
    int half = arguments.length() / 2;
    for (String fragment : List.of(arguments.substring(0, half), arguments.substring(half))) {
      ObjectNode event = blockEvent("content_block_delta");
      event.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
      event(reply, "content_block_delta", event.toString());
    }
    finish(reply, "tool_use", usage);
  }

  private static ObjectNode toolUse(ToolCall call) {
    return ClientSide.JSON
        .createObjectNode()
        .put("type", "tool_use")
        .put("id", call.id())
        .put("name", call.name());
  }

  private static void messageStart(Reply reply, Usage usage) throws IOException {
    ObjectNode message = ClientSide.JSON.createObjectNode();
    message
        .putObject("message")
        .put("id", "msg_contract")
        .put("type", "message")
        .put("role", "assistant")
        .put("model", MODEL)
        .putArray("content");
    ((ObjectNode) message.get("message"))
        .putObject("usage")
        .put("input_tokens", usage.prompt())
        .put("output_tokens", 1);
    event(reply, "message_start", message.put("type", "message_start").toString());
  }

  private static void finish(Reply reply, String stopReason, Usage usage) throws IOException {
    event(reply, "content_block_stop", blockEvent("content_block_stop").toString());
    ObjectNode delta = ClientSide.JSON.createObjectNode().put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", stopReason);
    delta.putObject("usage").put("output_tokens", usage.completion());
    event(reply, "message_delta", delta.toString());
    event(reply, "message_stop", "{\"type\":\"message_stop\"}");
    reply.endStream();
  }

  private static String blockStart(String block) {
    return "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":" + block + "}";
  }

  private static ObjectNode blockEvent(String type) {
    return ClientSide.JSON.createObjectNode().put("type", type).put("index", 0);
  }

  private static void event(Reply reply, String name, String data) throws IOException {
    reply.chunk("event: " + name + "\ndata: " + data + "\n\n");
  }

  private static ObjectNode message(ObjectNode block, String stopReason, Usage usage) {
    ObjectNode message =
        ClientSide.JSON
            .createObjectNode()
            .put("id", "msg_contract")
            .put("type", "message")
            .put("role", "assistant")
            .put("model", MODEL);
    ArrayNode content = message.putArray("content");
    content.add(block);
    message.put("stop_reason", stopReason).putNull("stop_sequence");
    message
        .putObject("usage")
        .put("input_tokens", usage.prompt())
        .put("output_tokens", usage.completion());
    return message;
  }

  @Override
  public UpstreamError error(ErrorClass kind, boolean streamRequested) {
    return switch (kind) {
      case INVALID_REQUEST ->
          error(
              400,
              "invalid_request_error",
              "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens"
                  + " for claude-sonnet-4-5-20250929");
      case AUTHENTICATION -> error(401, "authentication_error", "invalid x-api-key");
      case MODEL_NOT_FOUND -> error(404, "not_found_error", "model: claude-sonnet-4-5");
      case RATE_LIMIT -> {
        JsonNode recorded = ClientSide.parse(fixture("real_error_429_rate_limit.json"));
        yield new UpstreamError(
            429,
            recorded.get("body").toString(),
            new ClientError(
                "rate_limit_error", "429", "would exceed your organization's rate limit"));
      }
      case SERVER_ERROR -> error(500, "api_error", "Internal server error");
      // 529 is no HTTP status clients know: they must see 503, with the origin in the code
      case OVERLOADED ->
          new UpstreamError(
              529,
              errorBody("overloaded_error", "Overloaded"),
              new ClientError("overloaded_error", "529", "Overloaded"));
    };
  }

  private static UpstreamError error(int status, String type, String message) {
    return new UpstreamError(
        status, errorBody(type, message), new ClientError(type, Integer.toString(status), message));
  }

  private static String errorBody(String type, String message) {
    ObjectNode body = ClientSide.JSON.createObjectNode().put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    return body.put("request_id", "req_contract").toString();
  }

  @Override
  public StreamFailure streamFailure() {
    // the last event of Anthropic's documented mid-stream error example
    List<ClientSide.Event> events =
        ClientSide.events(fixture("doc_error_event_midstream.sse").replace("\r", ""));
    ClientSide.Event error = events.get(events.size() - 1);
    return new StreamFailure(
        "event: " + error.name() + "\ndata: " + error.data() + "\n\n",
        new ClientError("overloaded_error", "529", "Overloaded"));
  }

  private static String fixture(String name) {
    return new String(Fixtures.read("anthropic/" + name), java.nio.charset.StandardCharsets.UTF_8);
  }
}
