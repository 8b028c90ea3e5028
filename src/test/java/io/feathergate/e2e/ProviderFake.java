package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import io.feathergate.e2e.FakeUpstream.Received;
import io.feathergate.e2e.FakeUpstream.Reply;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One upstream provider's wire dialect, as {@link FakeUpstream} speaks it to the gateway: the
 * deployment that points at the fake, answers (text, streamed deltas, tool calls, usage, errors) in
 * the provider's own format, and what the provider received, read back in its own terms. {@link
 * ProviderContractTest} runs every scenario against every implementation, so a provider is covered
 * by writing its dialect once.
 */
interface ProviderFake {

  /** Token counts an answer reports, in the provider's own fields. */
  record Usage(int prompt, int completion) {
    int total() {
      return prompt + completion;
    }
  }

  /** A tool call the model makes; {@code id} is null for providers that name no call ids. */
  record ToolCall(String id, String name, String arguments) {}

  /**
   * A tool result as the provider received it: the call it answers, by id or by tool name (null
   * where the dialect has no such field), and its text.
   */
  record ToolResult(String callId, String toolName, String content) {}

  /** The error a client must see: OpenAI's {@code type} and {@code code}, and message parts. */
  record ClientError(String type, String code, List<String> messageParts) {
    ClientError(String type, String code, String messagePart) {
      this(type, code, List.of(messagePart));
    }
  }

  /** An error response of the provider, with what the client must see of it. */
  record UpstreamError(
      int status,
      String contentType,
      String body,
      ClientError client,
      Map<String, String> headers) {
    UpstreamError(int status, String contentType, String body, ClientError client) {
      this(status, contentType, body, client, Map.of());
    }

    UpstreamError(int status, String body, ClientError client) {
      this(status, "application/json", body, client);
    }
  }

  /** A stream's own error event (sent after a 200), with what the client must see of it. */
  record StreamFailure(String event, ClientError client) {}

  /** The failures a provider can answer before the first byte, by what the client must see. */
  enum ErrorClass {
    INVALID_REQUEST(400, BadRequestException.class),
    AUTHENTICATION(401, UnauthorizedException.class),
    MODEL_NOT_FOUND(404, NotFoundException.class),
    RATE_LIMIT(429, RateLimitException.class),
    SERVER_ERROR(500, InternalServerException.class),
    OVERLOADED(503, InternalServerException.class);

    final int clientStatus;
    final Class<? extends OpenAIServiceException> sdkException;

    ErrorClass(int clientStatus, Class<? extends OpenAIServiceException> sdkException) {
      this.clientStatus = clientStatus;
      this.sdkException = sdkException;
    }
  }

  /** The provider's name, also the deployment's model name in the gateway's config. */
  String name();

  /** The deployment's {@code litellm_params} but its key, for a fake listening at this origin. */
  Map<String, String> litellmParams(String origin);

  /** The key the deployment holds. */
  String apiKey();

  /** The {@code litellm_params} key that holds {@link #apiKey()}. */
  default String keyParam() {
    return "api_key";
  }

  /** Sends the stream's own error event, in the provider's framing. */
  default void sendStreamFailure(Reply reply, StreamFailure failure) throws IOException {
    reply.chunk(failure.event());
  }

  /** Answers the provider's own error, and returns true, when a request breaks its rules. */
  boolean rejects(Received request, Reply reply) throws IOException;

  /** The key the gateway sent, read from the provider's own header. */
  String receivedKey(Received request);

  boolean askedForStream(Received request);

  /**
   * Whether a stream reports its usage when the client did not ask for it ({@code
   * stream_options.include_usage}): Anthropic and Gemini always do, OpenAI only when asked.
   */
  default boolean streamsUsageUnasked() {
    return true;
  }

  /** The text of the last user turn the provider received. */
  String lastUserText(Received request);

  /** The names of the tools the request declares. */
  List<String> declaredTools(Received request);

  /** The last tool result the request carries, or null. */
  ToolResult toolResult(Received request);

  void answerText(Received request, Reply reply, String text, Usage usage) throws IOException;

  void answerToolCall(Received request, Reply reply, ToolCall call, Usage usage) throws IOException;

  /** Starts a stream of text: headers and whatever the provider sends before the first delta. */
  void startStream(Received request, Reply reply, Usage usage) throws IOException;

  void streamText(Reply reply, String delta) throws IOException;

  /** Ends a text stream normally, with the finish and the usage as the provider reports them. */
  void endStream(Received request, Reply reply, Usage usage) throws IOException;

  /** A whole stream in which the model calls a tool, its arguments in fragments where it can. */
  void streamToolCall(Received request, Reply reply, ToolCall call, Usage usage) throws IOException;

  /** The provider's answer for a failure of this class, to a plain or a streaming request. */
  UpstreamError error(ErrorClass kind, boolean streamRequested);

  /** The provider's error event inside a stream that already began. */
  StreamFailure streamFailure();

  /** Answers with {@code responder} once a request passed this provider's own checks. */
  default FakeUpstream.Responder checked(FakeUpstream.Responder responder) {
    return (request, reply) -> {
      if (!rejects(request, reply)) {
        responder.respond(request, reply);
      }
    };
  }

  /** The request body as JSON. */
  static JsonNode body(Received request) {
    return ClientSide.parse(request.body());
  }
}
