package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.e2e.FakeUpstream.Received;
import io.feathergate.e2e.FakeUpstream.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Gemini's generateContent dialect: whole responses, {@code \r\n\r\n}-framed events, no ids. */
final class GeminiFake implements ProviderFake {
  static final String KEY = "AIza-contract-gemini-key";
  static final String MODEL = "gemini-2.5-flash";

  /** Gemini's answer to a wrong key: an invalid argument, which clients must see as a 401. */
  static final String BAD_KEY =
      "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\","
          + "\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
          + "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]}}";

  /** Signatures this fake handed out: only these come back on a Gemini 3 function call. */
  final Set<String> issuedSignatures = ConcurrentHashMap.newKeySet();

  private final String apiKey;
  private final FakeGeminiRules rules;

  GeminiFake(String apiKey) {
    this.apiKey = apiKey;
    rules = new FakeGeminiRules(apiKey, issuedSignatures);
  }

  GeminiFake() {
    this(KEY);
  }

  FakeGeminiRules rules() {
    return rules;
  }

  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public Map<String, String> litellmParams(String origin) {
    return Map.of("model", "gemini/" + MODEL, "api_base", origin);
  }

  @Override
  public String apiKey() {
    return apiKey;
  }

  @Override
  public boolean rejects(Received request, Reply reply) throws IOException {
    return rules.reject(request, reply);
  }

  @Override
  public String receivedKey(Received request) {
    return request.headers().get("x-goog-api-key");
  }

  @Override
  public boolean askedForStream(Received request) {
    return request.path().endsWith(":streamGenerateContent?alt=sse");
  }

  @Override
  public String lastUserText(Received request) {
    JsonNode contents = ProviderFake.body(request).path("contents");
    return contents.get(contents.size() - 1).at("/parts/0/text").asText(null);
  }

  @Override
  public List<String> declaredTools(Received request) {
    List<String> names = new ArrayList<>();
    for (JsonNode tool : ProviderFake.body(request).path("tools")) {
      tool.path("functionDeclarations").forEach(f -> names.add(f.path("name").asText()));
    }
    return names;
  }

  @Override
  public ToolResult toolResult(Received request) {
    JsonNode contents = ProviderFake.body(request).path("contents");
    for (JsonNode part : contents.get(contents.size() - 1).path("parts")) {
      JsonNode response = part.path("functionResponse");
      if (response.isObject()) {
        // a plain-text result travels wrapped, since Gemini wants an object
        return new ToolResult(
            null, response.path("name").asText(), response.at("/response/content").asText());
      }
    }
    return null;
  }

  @Override
  public void answerText(Received request, Reply reply, String text, Usage usage)
      throws IOException {
    reply.json(200, response(textPart(text), "STOP", usage));
  }

  @Override
  public void answerToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    // Gemini ends a turn that calls a function with STOP, not with a finish of its own
    reply.json(200, response(callPart(call), "STOP", usage));
  }

  @Override
  public void startStream(Received request, Reply reply, Usage usage) throws IOException {
    reply.startStream();
  }

  @Override
  public void streamText(Reply reply, String delta) throws IOException {
    event(reply, response(textPart(delta), null, null));
  }

  @Override
  public void endStream(Received request, Reply reply, Usage usage) throws IOException {
    event(reply, response(null, "STOP", usage));
    reply.endStream();
  }

  @Override
  public void streamToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    // Gemini sends a function call whole, in one event
    reply.startStream();
    event(reply, response(callPart(call), "STOP", usage));
    reply.endStream();
  }

  @Override
  public UpstreamError error(ErrorClass kind, boolean streamRequested) {
    return switch (kind) {
      case INVALID_REQUEST ->
          error(
              400,
              "INVALID_ARGUMENT",
              "Invalid JSON payload received. Unknown name \\\"foo\\\": Cannot find field.",
              "invalid_request_error",
              "Unknown name");
      case AUTHENTICATION ->
          new UpstreamError(
              400,
              BAD_KEY,
              new ClientError("authentication_error", "API_KEY_INVALID", "API key not valid"));
      case MODEL_NOT_FOUND ->
          // as recorded: Gemini serves this error as an event stream to a streaming request
          new UpstreamError(
              404,
              streamRequested ? "text/event-stream" : "application/json",
              new String(Fixtures.read("gemini/error_404_body.json"), StandardCharsets.UTF_8),
              new ClientError(
                  "not_found_error", "NOT_FOUND", "is not found for API version v1beta"));
      case RATE_LIMIT ->
          new UpstreamError(
              429,
              "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota.\","
                  + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
                  + "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"59s\"}]}}",
              new ClientError(
                  "rate_limit_error",
                  "RESOURCE_EXHAUSTED",
                  List.of("You exceeded your current quota.", "59s")));
      case SERVER_ERROR ->
          error(
              500,
              "INTERNAL",
              "An internal error has occurred. Please retry or report in"
                  + " https://developers.generativeai.google/guide/troubleshooting",
              "server_error",
              "An internal error has occurred.");
      case OVERLOADED ->
          error(
              503,
              "UNAVAILABLE",
              "The model is overloaded. Please try again later.",
              "server_error",
              "The model is overloaded.");
    };
  }

  private static UpstreamError error(
      int status, String name, String message, String clientType, String messagePart) {
    return new UpstreamError(
        status, errorBody(status, name, message), new ClientError(clientType, name, messagePart));
  }

  @Override
  public StreamFailure streamFailure() {
    return new StreamFailure(
        "data: "
            + errorBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")
            + "\r\n\r\n",
        new ClientError("server_error", "UNAVAILABLE", "The model is overloaded."));
  }

  /** Gemini's error body; {@code message} is JSON-escaped already. */
  static String errorBody(int status, String name, String message) {
    return "{\"error\":{\"code\":"
        + status
        + ",\"message\":\""
        + message
        + "\",\"status\":\""
        + name
        + "\"}}";
  }

  private static void event(Reply reply, String json) throws IOException {
    reply.chunk("data: " + json + "\r\n\r\n");
  }

  private static ObjectNode textPart(String text) {
    return ClientSide.JSON.createObjectNode().put("text", text);
  }

  private static ObjectNode callPart(ToolCall call) {
    ObjectNode part = ClientSide.JSON.createObjectNode();
    part.putObject("functionCall")
        .put("name", call.name())
        .set("args", ClientSide.parse(call.arguments()));
    return part;
  }

  /** A GenerateContentResponse with one candidate; null parts, finish or usage are left out. */
  private static String response(ObjectNode part, String finishReason, Usage usage) {
    ObjectNode response = ClientSide.JSON.createObjectNode();
    ArrayNode candidates = response.putArray("candidates");
    ObjectNode candidate = candidates.addObject();
    if (part != null) {
      ObjectNode content = candidate.putObject("content");
      content.put("role", "model");
      content.putArray("parts").add(part);
    }
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    candidate.put("index", 0);
    if (usage != null) {
      response
          .putObject("usageMetadata")
          .put("promptTokenCount", usage.prompt())
          .put("candidatesTokenCount", usage.completion())
          .put("totalTokenCount", usage.total());
    }
    response.put("modelVersion", MODEL);
    response.put("responseId", "resp-contract");
    return response.toString();
  }
}
