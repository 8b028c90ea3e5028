package io.feathergate.e2e;

import io.feathergate.e2e.FakeUpstream.Received;
import io.feathergate.e2e.FakeUpstream.Reply;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Gemini on Vertex AI: Gemini's bodies and events at Vertex's project and location URL, a service
 * account's bearer token (obtained from {@link GoogleTokenEndpoint}) instead of a key, and Google's
 * error shape.
 */
final class VertexFake implements ProviderFake {
  static final String LOCATION = "europe-west4";
  static final String MODEL = "gemini-2.5-flash";

  final GoogleTokenEndpoint tokens;
  private final GeminiFake gemini = new GeminiFake();

  VertexFake(GoogleTokenEndpoint tokens) {
    this.tokens = tokens;
  }

  @Override
  public String name() {
    return "vertex_ai";
  }

  @Override
  public Map<String, String> litellmParams(String origin) {
    return Map.of(
        "model",
        "vertex_ai/" + MODEL,
        "api_base",
        origin,
        "vertex_project",
        GoogleTokenEndpoint.PROJECT,
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

  String path(boolean stream) {
    return "/v1/projects/"
        + GoogleTokenEndpoint.PROJECT
        + "/locations/"
        + LOCATION
        + "/publishers/google/models/"
        + MODEL
        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }

  @Override
  public boolean rejects(Received request, Reply reply) throws IOException {
    if (!request.path().equals(path(false)) && !request.path().equals(path(true))) {
      reply.json(404, GeminiFake.errorBody(404, "NOT_FOUND", "Not found: " + request.path()));
      return true;
    }
    if (receivedKey(request) == null) {
      UpstreamError error = error(ErrorClass.AUTHENTICATION, false);
      reply.json(error.status(), error.body());
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
    return request.path().endsWith(":streamGenerateContent?alt=sse");
  }

  @Override
  public String lastUserText(Received request) {
    return gemini.lastUserText(request);
  }

  @Override
  public List<String> declaredTools(Received request) {
    return gemini.declaredTools(request);
  }

  @Override
  public ToolResult toolResult(Received request) {
    return gemini.toolResult(request);
  }

  @Override
  public void answerText(Received request, Reply reply, String text, Usage usage)
      throws IOException {
    gemini.answerText(request, reply, text, usage);
  }

  @Override
  public void answerToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    gemini.answerToolCall(request, reply, call, usage);
  }

  @Override
  public void startStream(Received request, Reply reply, Usage usage) throws IOException {
    gemini.startStream(request, reply, usage);
  }

  @Override
  public void streamText(Reply reply, String delta) throws IOException {
    gemini.streamText(reply, delta);
  }

  @Override
  public void endStream(Received request, Reply reply, Usage usage) throws IOException {
    gemini.endStream(request, reply, usage);
  }

  @Override
  public void streamToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    gemini.streamToolCall(request, reply, call, usage);
  }

  @Override
  public UpstreamError error(ErrorClass kind, boolean streamRequested) {
    if (kind == ErrorClass.AUTHENTICATION) {
      return new UpstreamError(
          401,
          GeminiFake.errorBody(
              401,
              "UNAUTHENTICATED",
              "Request had invalid authentication credentials. Expected OAuth 2 access token."),
          new ClientError(
              "authentication_error", "UNAUTHENTICATED", "invalid authentication credentials"));
    }
    if (kind == ErrorClass.MODEL_NOT_FOUND) {
      return new UpstreamError(
          404,
          GeminiFake.errorBody(
              404,
              "NOT_FOUND",
              "Publisher Model `projects/contract-project/locations/europe-west4/publishers/google/"
                  + "models/gemini-9` was not found or your project does not have access to it."),
          new ClientError("not_found_error", "NOT_FOUND", "was not found"));
    }
    return gemini.error(kind, streamRequested);
  }

  @Override
  public StreamFailure streamFailure() {
    return gemini.streamFailure();
  }
}
