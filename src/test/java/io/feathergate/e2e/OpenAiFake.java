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
 * The OpenAI Chat Completions dialect, which every OpenAI-compatible upstream speaks: {@code data:}
 * chunks ending with {@code [DONE]}, a usage chunk only when the request asks for one, errors as
 * the real API words them.
 */
final class OpenAiFake implements ProviderFake {
  static final String KEY = "sk-contract-openai-key";
  static final String MODEL = "gpt-4o-2024-08-06";

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public Map<String, String> litellmParams(String origin) {
    return Map.of("model", "openai/" + MODEL, "api_base", origin + "/v1");
  }

  @Override
  public String apiKey() {
    return KEY;
  }

  @Override
  public boolean rejects(Received request, Reply reply) throws IOException {
    if (!request.path().equals("/v1/chat/completions")) {
      reply.json(
          404,
          errorBody("Invalid URL (POST " + request.path() + ")", "invalid_request_error", null));
      return true;
    }
    if (!KEY.equals(receivedKey(request))) {
      reply.json(401, error(ErrorClass.AUTHENTICATION, false).body());
      return true;
    }
    return false;
  }

  @Override
  public String receivedKey(Received request) {
    String authorization = request.headers().getOrDefault("authorization", "");
    return authorization.startsWith("Bearer ") ? authorization.substring("Bearer ".length()) : null;
  }

  @Override
  public boolean askedForStream(Received request) {
    return ProviderFake.body(request).path("stream").asBoolean(false);
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
    return new ToolResult(last.path("tool_call_id").asText(), null, last.path("content").asText());
  }

  private static JsonNode lastMessage(Received request) {
    JsonNode messages = ProviderFake.body(request).path("messages");
    return messages.get(messages.size() - 1);
  }

  @Override
  public void answerText(Received request, Reply reply, String text, Usage usage)
      throws IOException {
    ObjectNode message = ClientSide.JSON.createObjectNode().put("role", "assistant");
    message.put("content", text).putNull("refusal");
    reply.json(200, completion(message, "stop", usage));
  }

  @Override
  public void answerToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    ObjectNode message = ClientSide.JSON.createObjectNode().put("role", "assistant");
    message.putNull("content");
    message.putArray("tool_calls").add(toolCall(call, call.arguments()).put("index", 0));
    reply.json(200, completion(message, "tool_calls", usage));
  }

  @Override
  public void startStream(Received request, Reply reply, Usage usage) throws IOException {
    reply.startStream();
    firstChunk(reply);
  }

  /** The chunk that opens a stream: the assistant's role and empty content. */
  void firstChunk(Reply reply) throws IOException {
    chunk(reply, delta().put("role", "assistant").put("content", ""), null);
  }

  @Override
  public void streamText(Reply reply, String text) throws IOException {
    chunk(reply, delta().put("content", text), null);
  }

  @Override
  public boolean streamsUsageUnasked() {
    return false;
  }

  @Override
  public void endStream(Received request, Reply reply, Usage usage) throws IOException {
    end(request, reply, "stop", usage);
  }

  @Override
  public void streamToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    reply.startStream();
    ObjectNode first = delta().put("role", "assistant");
    first.putNull("content");
    first.putArray("tool_calls").add(toolCall(call, "").put("index", 0));
    chunk(reply, first, null);
    // the arguments arrive as fragments that are not JSON on their own
    String arguments = call.arguments();
    int half = arguments.length() / 2;
    for (String fragment : List.of(arguments.substring(0, half), arguments.substring(half))) {
      ObjectNode delta = delta();
      ObjectNode piece = delta.putArray("tool_calls").addObject().put("index", 0);
      piece.putObject("function").put("arguments", fragment);
      chunk(reply, delta, null);
    }
    end(request, reply, "tool_calls", usage);
  }

  private static void end(Received request, Reply reply, String finishReason, Usage usage)
      throws IOException {
    chunk(reply, delta(), finishReason);
    if (ProviderFake.body(request).at("/stream_options/include_usage").asBoolean(false)) {
      ObjectNode chunk = chunkBase();
      chunk.putArray("choices");
      chunk.set("usage", usage(usage));
      reply.chunk("data: " + chunk + "\n\n");
    }
    reply.chunk("data: [DONE]\n\n");
    reply.endStream();
  }

  private static ObjectNode delta() {
    return ClientSide.JSON.createObjectNode();
  }

  private static ObjectNode chunkBase() {
    return ClientSide.JSON
        .createObjectNode()
        .put("id", "chatcmpl-contract")
        .put("object", "chat.completion.chunk")
        .put("created", 1_741_569_952)
        .put("model", MODEL);
  }

  private static void chunk(Reply reply, ObjectNode delta, String finishReason) throws IOException {
    ObjectNode chunk = chunkBase();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    reply.chunk("data: " + chunk + "\n\n");
  }

  private static ObjectNode toolCall(ToolCall call, String arguments) {
    ObjectNode toolCall =
        ClientSide.JSON.createObjectNode().put("id", call.id()).put("type", "function");
    toolCall.putObject("function").put("name", call.name()).put("arguments", arguments);
    return toolCall;
  }

  private static String completion(ObjectNode message, String finishReason, Usage usage) {
    ObjectNode completion =
        ClientSide.JSON
            .createObjectNode()
            .put("id", "chatcmpl-contract")
            .put("object", "chat.completion")
            .put("created", 1_741_569_952)
            .put("model", MODEL);
    ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    completion.set("usage", usage(usage));
    return completion.toString();
  }

  private static ObjectNode usage(Usage usage) {
    return ClientSide.JSON
        .createObjectNode()
        .put("prompt_tokens", usage.prompt())
        .put("completion_tokens", usage.completion())
        .put("total_tokens", usage.total());
  }

  @Override
  public UpstreamError error(ErrorClass kind, boolean streamRequested) {
    // the real API's bodies: the gateway passes status, type, message and code on unchanged
    return switch (kind) {
      case INVALID_REQUEST ->
          error(
              400,
              "'messages' must contain the word 'json' in some form, to use 'response_format' of"
                  + " type 'json_object'.",
              "invalid_request_error",
              null);
      case AUTHENTICATION ->
          error(
              401,
              "Incorrect API key provided: sk-wrong. You can find your API key at"
                  + " https://platform.openai.com/account/api-keys.",
              "invalid_request_error",
              "invalid_api_key");
      case MODEL_NOT_FOUND ->
          error(
              404,
              "The model `" + MODEL + "` does not exist or you do not have access to it.",
              "invalid_request_error",
              "model_not_found");
      case RATE_LIMIT ->
          error(
              429,
              "Rate limit reached for gpt-4o on tokens per min (TPM)",
              "tokens",
              "rate_limit_exceeded");
      case SERVER_ERROR ->
          error(
              500, "The server had an error while processing your request.", "server_error", null);
      case OVERLOADED ->
          error(
              503,
              "The engine is currently overloaded, please try again later",
              "server_error",
              null);
    };
  }

  private static UpstreamError error(int status, String message, String type, String code) {
    return new UpstreamError(
        status,
        errorBody(message, type, code),
        new ClientError(type, code == null ? Integer.toString(status) : code, message));
  }

  private static String errorBody(String message, String type, String code) {
    ObjectNode error = ClientSide.JSON.createObjectNode();
    error
        .putObject("error")
        .put("message", message)
        .put("type", type)
        .putNull("param")
        .put("code", code);
    return error.toString();
  }

  @Override
  public StreamFailure streamFailure() {
    UpstreamError error = error(ErrorClass.SERVER_ERROR, true);
    return new StreamFailure("data: " + error.body() + "\n\n", error.client());
  }
}
