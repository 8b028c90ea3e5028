package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.e2e.FakeUpstream.Received;
import io.feathergate.e2e.FakeUpstream.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ollama's {@code /api/chat}: {@code stream} defaults to true (so a request must say false), one
 * JSON object a line ({@code application/x-ndjson}), tool calls whole with object arguments and no
 * ids, usage as {@code prompt_eval_count} and {@code eval_count} on the {@code done} line, errors
 * as {@code {"error":"..."}}.
 */
final class OllamaFake implements ProviderFake {
  static final String KEY = "ollama-contract-key";
  static final String MODEL = "llama3.2";

  @Override
  public String name() {
    return "ollama_chat";
  }

  @Override
  public Map<String, String> litellmParams(String origin) {
    return Map.of("model", "ollama_chat/" + MODEL, "api_base", origin);
  }

  @Override
  public String apiKey() {
    return KEY;
  }

  @Override
  public boolean rejects(Received request, Reply reply) throws IOException {
    if (!request.path().equals("/api/chat")) {
      reply.whole(404, "text/plain", "404 page not found");
      return true;
    }
    if (!KEY.equals(receivedKey(request))) {
      reply.json(401, "{\"error\":\"unauthorized\"}");
      return true;
    }
    JsonNode body = ProviderFake.body(request);
    if (!body.path("stream").isBoolean() || body.has("tool_choice")) {
      reply.json(400, "{\"error\":\"stream must be given; tool_choice is unknown\"}");
      return true;
    }
    return false;
  }

  @Override
  public String receivedKey(Received request) {
    String authorization = request.headers().getOrDefault("authorization", "");
    return authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
  }

  @Override
  public boolean askedForStream(Received request) {
    return ProviderFake.body(request).path("stream").asBoolean(true);
  }

  private static JsonNode lastMessage(Received request) {
    JsonNode messages = ProviderFake.body(request).path("messages");
    return messages.get(messages.size() - 1);
  }

  @Override
  public String lastUserText(Received request) {
    return lastMessage(request).path("content").asText(null);
  }

  @Override
  public List<String> declaredTools(Received request) {
    List<String> names = new ArrayList<>();
    ProviderFake.body(request)
        .path("tools")
        .forEach(t -> names.add(t.at("/function/name").asText()));
    return names;
  }

  @Override
  public ToolResult toolResult(Received request) {
    JsonNode last = lastMessage(request);
    if (!"tool".equals(last.path("role").asText())) {
      return null;
    }
    return new ToolResult(null, last.path("tool_name").asText(null), last.path("content").asText());
  }

  private static ObjectNode line(ObjectNode message, boolean done, String doneReason, Usage usage) {
    ObjectNode line = ClientSide.JSON.createObjectNode();
    line.put("model", MODEL);
    line.put("created_at", "2026-12-03T12:00:00.000000Z");
    line.set("message", message);
    line.put("done", done);
    if (done) {
      line.put("done_reason", doneReason);
      line.put("total_duration", 4883583458L);
      line.put("prompt_eval_count", usage.prompt());
      line.put("eval_count", usage.completion());
    }
    return line;
  }

  private static ObjectNode message(String content) {
    return ClientSide.JSON.createObjectNode().put("role", "assistant").put("content", content);
  }

  private static ObjectNode callMessage(ToolCall call) {
    ObjectNode message = message("");
    ObjectNode function = message.putArray("tool_calls").addObject().putObject("function");
    function.put("name", call.name());
    function.set("arguments", ClientSide.parse(call.arguments()));
    return message;
  }

  @Override
  public void answerText(Received request, Reply reply, String text, Usage usage)
      throws IOException {
    reply.json(200, line(message(text), true, "stop", usage).toString());
  }

  @Override
  public void answerToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    reply.json(200, line(callMessage(call), true, "stop", usage).toString());
  }

  @Override
  public void startStream(Received request, Reply reply, Usage usage) throws IOException {
    reply.startStream("application/x-ndjson", Map.of());
  }

  @Override
  public void streamText(Reply reply, String delta) throws IOException {
    reply.chunk(line(message(delta), false, null, null) + "\n");
  }

  @Override
  public void endStream(Received request, Reply reply, Usage usage) throws IOException {
    reply.chunk(line(message(""), true, "stop", usage) + "\n");
    reply.endStream();
  }

  @Override
  public void streamToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    reply.startStream("application/x-ndjson", Map.of());
    reply.chunk(line(callMessage(call), false, null, null) + "\n");
    endStream(request, reply, usage);
  }

  private static UpstreamError error(int status, String message, String type) {
    return new UpstreamError(
        status,
        "{\"error\":\"" + message + "\"}",
        new ClientError(type, Integer.toString(status), message));
  }

  @Override
  public UpstreamError error(ErrorClass kind, boolean streamRequested) {
    return switch (kind) {
      case INVALID_REQUEST ->
          error(400, "json: cannot unmarshal string into Go value", "invalid_request_error");
      case AUTHENTICATION -> error(401, "unauthorized", "authentication_error");
      case MODEL_NOT_FOUND ->
          error(404, "model 'llama9' not found, try pulling it first", "not_found_error");
      case RATE_LIMIT -> error(429, "too many requests", "rate_limit_error");
      case SERVER_ERROR ->
          error(500, "llama runner process has terminated: exit status 2", "server_error");
      case OVERLOADED -> error(503, "server busy, please try again", "server_error");
    };
  }

  @Override
  public StreamFailure streamFailure() {
    return new StreamFailure(
        "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n",
        new ClientError("server_error", "500", "unexpected EOF"));
  }
}
