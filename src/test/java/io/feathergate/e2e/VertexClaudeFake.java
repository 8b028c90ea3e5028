package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.e2e.FakeUpstream.Received;
import io.feathergate.e2e.FakeUpstream.Reply;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Claude on Vertex AI: Anthropic's Messages body without {@code model} and with {@code
 * anthropic_version: vertex-2023-10-16}, at {@code rawPredict} / {@code streamRawPredict}, with a
 * service account's bearer token; answers and events as Anthropic's.
 */
final class VertexClaudeFake implements ProviderFake {
  static final String LOCATION = "global";
  static final String MODEL = "claude-sonnet-4-5@20250929";

  private final GoogleTokenEndpoint tokens;
  private final AnthropicFake anthropic = new AnthropicFake();

  VertexClaudeFake(GoogleTokenEndpoint tokens) {
    this.tokens = tokens;
  }

  @Override
  public String name() {
    return "vertex_ai_claude";
  }

  @Override
  public Map<String, String> litellmParams(String origin) {
    return Map.of(
        "model",
        "vertex_ai/" + MODEL,
        "api_base",
        origin,
        "vertex_location",
        LOCATION,
        "vertex_credentials",
        "'" + tokens.serviceAccountJson() + "'");
  }

  @Override
  public String keyParam() {
    return null;
  }

  @Override
  public String apiKey() {
    return "service-account-token";
  }

  static String path(boolean stream) {
    return "/v1/projects/"
        + GoogleTokenEndpoint.PROJECT
        + "/locations/global/publishers/anthropic/models/"
        + MODEL
        + (stream ? ":streamRawPredict" : ":rawPredict");
  }

  @Override
  public boolean rejects(Received request, Reply reply) throws IOException {
    String problem = null;
    JsonNode body = ProviderFake.body(request);
    if (!request.path().equals(path(askedForStream(request)))) {
      problem = "Not found: " + request.path();
    } else if (body.has("model")) {
      problem = "model: Extra inputs are not permitted";
    } else if (!"vertex-2023-10-16".equals(body.path("anthropic_version").asText())) {
      problem = "anthropic_version: Field required";
    }
    if (problem != null) {
      reply.json(
          400,
          "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\""
              + problem
              + "\"}}");
      return true;
    }
    if (receivedKey(request) == null) {
      reply.json(401, error(ErrorClass.AUTHENTICATION, false).body());
      return true;
    }
    return false;
  }

  @Override
  public String receivedKey(Received request) {
    return tokens.authorized(request) ? apiKey() : null;
  }

  @Override
  public boolean askedForStream(Received request) {
    return ProviderFake.body(request).path("stream").asBoolean(false);
  }

  @Override
  public String lastUserText(Received request) {
    return anthropic.lastUserText(request);
  }

  @Override
  public List<String> declaredTools(Received request) {
    return anthropic.declaredTools(request);
  }

  @Override
  public ToolResult toolResult(Received request) {
    return anthropic.toolResult(request);
  }

  @Override
  public void answerText(Received request, Reply reply, String text, Usage usage)
      throws IOException {
    anthropic.answerText(request, reply, text, usage);
  }

  @Override
  public void answerToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    anthropic.answerToolCall(request, reply, call, usage);
  }

  @Override
  public void startStream(Received request, Reply reply, Usage usage) throws IOException {
    anthropic.startStream(request, reply, usage);
  }

  @Override
  public void streamText(Reply reply, String delta) throws IOException {
    anthropic.streamText(reply, delta);
  }

  @Override
  public void endStream(Received request, Reply reply, Usage usage) throws IOException {
    anthropic.endStream(request, reply, usage);
  }

  @Override
  public void streamToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    anthropic.streamToolCall(request, reply, call, usage);
  }

  @Override
  public UpstreamError error(ErrorClass kind, boolean streamRequested) {
    if (kind == ErrorClass.AUTHENTICATION) {
      // the token is refused by Vertex itself, in Google's words, before Claude sees the request
      return new UpstreamError(
          401,
          GeminiFake.errorBody(
              401,
              "UNAUTHENTICATED",
              "Request had invalid authentication credentials. Expected OAuth 2 access token."),
          new ClientError(
              "authentication_error", "UNAUTHENTICATED", "invalid authentication credentials"));
    }
    return anthropic.error(kind, streamRequested);
  }

  @Override
  public StreamFailure streamFailure() {
    return anthropic.streamFailure();
  }
}
