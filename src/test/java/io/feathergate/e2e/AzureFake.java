package io.feathergate.e2e;

import io.feathergate.e2e.FakeUpstream.Received;
import io.feathergate.e2e.FakeUpstream.Reply;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Azure OpenAI as it answers a dated deployment URL: the {@code api-key} header, OpenAI's bodies,
 * and Azure's stream quirks: a first chunk with {@code "choices":[]}, empty id, object and model,
 * and the prompt's filter results; an annotation chunk without {@code delta} after each delta (the
 * asynchronous filter); errors in Azure's words.
 */
final class AzureFake implements ProviderFake {
  static final String KEY = "azure-contract-key-0123456789abcdef";
  static final String DEPLOYMENT = "gpt-4o-contract";
  static final String API_VERSION = "2024-10-21";

  static final String PROMPT_FILTER_CHUNK =
      "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
          + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":"
          + "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"self_harm\":{\"filtered\":false,"
          + "\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
          + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}}]}";

  static final String ANNOTATION_CHUNK =
      "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[{\"index\":0,"
          + "\"finish_reason\":null,\"content_filter_results\":{\"hate\":{\"filtered\":false,"
          + "\"severity\":\"safe\"}},\"content_filter_offsets\":{\"check_offset\":0,"
          + "\"start_offset\":0,\"end_offset\":10}}]}";

  private final OpenAiFake openAi = new OpenAiFake();

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public Map<String, String> litellmParams(String origin) {
    return Map.of(
        "model",
        "azure/" + DEPLOYMENT,
        "api_base",
        origin,
        "api_version",
        "\"" + API_VERSION + "\"");
  }

  @Override
  public String apiKey() {
    return KEY;
  }

  static String expectedPath() {
    return "/openai/deployments/" + DEPLOYMENT + "/chat/completions?api-version=" + API_VERSION;
  }

  @Override
  public boolean rejects(Received request, Reply reply) throws IOException {
    if (!request.path().equals(expectedPath())) {
      reply.json(404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
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
    return request.headers().get("api-key");
  }

  @Override
  public boolean askedForStream(Received request) {
    return openAi.askedForStream(request);
  }

  @Override
  public boolean streamsUsageUnasked() {
    return false;
  }

  @Override
  public String lastUserText(Received request) {
    return openAi.lastUserText(request);
  }

  @Override
  public List<String> declaredTools(Received request) {
    return openAi.declaredTools(request);
  }

  @Override
  public ToolResult toolResult(Received request) {
    return openAi.toolResult(request);
  }

  @Override
  public void answerText(Received request, Reply reply, String text, Usage usage)
      throws IOException {
    openAi.answerText(request, reply, text, usage);
  }

  @Override
  public void answerToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    openAi.answerToolCall(request, reply, call, usage);
  }

  @Override
  public void startStream(Received request, Reply reply, Usage usage) throws IOException {
    reply.startStream();
    reply.chunk("data: " + PROMPT_FILTER_CHUNK + "\n\n");
    openAi.firstChunk(reply);
  }

  @Override
  public void streamText(Reply reply, String delta) throws IOException {
    openAi.streamText(reply, delta);
    reply.chunk("data: " + ANNOTATION_CHUNK + "\n\n");
  }

  @Override
  public void endStream(Received request, Reply reply, Usage usage) throws IOException {
    openAi.endStream(request, reply, usage);
  }

  @Override
  public void streamToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    openAi.streamToolCall(request, reply, call, usage);
  }

  @Override
  public UpstreamError error(ErrorClass kind, boolean streamRequested) {
    return switch (kind) {
      case INVALID_REQUEST ->
          new UpstreamError(
              400,
              "{\"error\":{\"code\":\"content_filter\",\"message\":\"The response was filtered due"
                  + " to the prompt triggering Azure OpenAI's content management policy.\","
                  + "\"param\":\"prompt\",\"status\":400,\"type\":null,\"innererror\":{\"code\":"
                  + "\"ResponsibleAIPolicyViolation\",\"content_filter_result\":{\"hate\":"
                  + "{\"filtered\":true,\"severity\":\"medium\"}}}}}",
              new ClientError(
                  "invalid_request_error", "content_filter", "content management policy"));
      case AUTHENTICATION ->
          new UpstreamError(
              401,
              "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription"
                  + " key or wrong API endpoint. Make sure to provide a valid key for an active"
                  + " subscription and use a correct regional API endpoint for your resource.\"}}",
              new ClientError("authentication_error", "401", "Access denied"));
      case MODEL_NOT_FOUND ->
          new UpstreamError(
              404,
              "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for"
                  + " this resource does not exist.\"}}",
              new ClientError("not_found_error", "DeploymentNotFound", "deployment"));
      case RATE_LIMIT ->
          new UpstreamError(
              429,
              "{\"error\":{\"code\":\"429\",\"message\":\"Requests to the ChatCompletions_Create"
                  + " Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate"
                  + " limit of your current OpenAI S0 pricing tier.\"}}",
              new ClientError("rate_limit_error", "429", "exceeded token rate limit"));
      case SERVER_ERROR ->
          new UpstreamError(
              500,
              "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"The server had an error"
                  + " while processing your request.\"}}",
              new ClientError("server_error", "InternalServerError", "The server had an error"));
      case OVERLOADED ->
          new UpstreamError(
              503,
              "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The service is temporarily"
                  + " unable to process your request.\"}}",
              new ClientError("server_error", "ServiceUnavailable", "temporarily unable"));
    };
  }

  @Override
  public StreamFailure streamFailure() {
    return openAi.streamFailure();
  }
}
