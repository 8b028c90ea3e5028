package io.feathergate.api;

import io.feathergate.core.exchange.ClientRequestReader;
import io.feathergate.core.responses.ResponseStore;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeRequest;

/**
 * The dialect of one request's route: how its body is read and how its answer is framed. Made per
 * request, as a dialect may keep state across a stream (and Anthropic's shares the request's
 * shortened tool names with its reader).
 *
 * @param reader reads the client's body into the gateway's chat request
 * @param dialect frames the answer, chunks and errors
 */
record ExchangeRoute(ClientRequestReader reader, ClientDialect dialect) {
  static final String MESSAGES = "/v1/messages";
  static final String COUNT_TOKENS = "/v1/messages/count_tokens";

  private static final ExchangeRoute CHAT_COMPLETIONS =
      new ExchangeRoute(ChatRequests::parse, OpenAiDialect.INSTANCE);

  private static final ExchangeRoute EMBEDDINGS =
      new ExchangeRoute(BeyondChatReaders::embeddings, OpenAiDialect.INSTANCE);

  private static final ExchangeRoute IMAGES =
      new ExchangeRoute(BeyondChatReaders::images, OpenAiDialect.INSTANCE);

  private static final ExchangeRoute MODERATIONS =
      new ExchangeRoute(BeyondChatReaders::moderations, OpenAiDialect.INSTANCE);

  private static final ExchangeRoute SPEECH =
      new ExchangeRoute(BeyondChatReaders::speech, OpenAiDialect.INSTANCE);

  private static final ExchangeRoute RERANK =
      new ExchangeRoute(BeyondChatReaders::rerank, OpenAiDialect.INSTANCE);

  private static final ExchangeRoute COMPLETIONS =
      new ExchangeRoute(BeyondChatReaders::completions, CompletionsDialect.INSTANCE);

  /**
   * The route for a servlet path: Anthropic's two; OpenAI's Responses API (which keeps responses in
   * {@code responses}, readable only by the {@code caller}'s key hash), embeddings, image
   * generation, moderations and legacy completions; else OpenAI's chat completions.
   */
  static ExchangeRoute of(String servletPath, ResponseStore responses, String caller) {
    if (servletPath.equals("/v1/responses") || servletPath.equals("/responses")) {
      ResponsesTurn turn = new ResponsesTurn(responses, caller);
      return new ExchangeRoute(
          new ResponsesRequestReader(responses, caller, turn), new ResponsesDialect(turn));
    }
    if (servletPath.endsWith("/embeddings")) {
      return EMBEDDINGS;
    }
    if (servletPath.endsWith("/images/generations")) {
      return IMAGES;
    }
    if (servletPath.endsWith("/audio/speech")) {
      return SPEECH;
    }
    if (servletPath.endsWith("/rerank")) {
      return RERANK;
    }
    if (servletPath.endsWith("/moderations")) {
      return MODERATIONS;
    }
    if (servletPath.equals("/v1/completions") || servletPath.equals("/completions")) {
      return COMPLETIONS;
    }
    if (MESSAGES.equals(servletPath)) {
      return messages(NativeRequest.Operation.CREATE);
    }
    if (COUNT_TOKENS.equals(servletPath)) {
      return messages(NativeRequest.Operation.COUNT_TOKENS);
    }
    return CHAT_COMPLETIONS;
  }

  /**
   * The upload API of a path ({@code /v1/audio/transcriptions}, {@code /v1/audio/translations}),
   * whose body is spooled to disk rather than read into memory; null for every other path.
   */
  static NativeApi upload(String servletPath) {
    if (servletPath.endsWith("/audio/transcriptions")) {
      return NativeApi.OPENAI_TRANSCRIPTIONS;
    }
    if (servletPath.endsWith("/audio/translations")) {
      return NativeApi.OPENAI_TRANSLATIONS;
    }
    return null;
  }

  /** The route of an upload spooled at {@code spool}. */
  static ExchangeRoute upload(NativeApi api, java.nio.file.Path spool, String boundary) {
    return new ExchangeRoute(UploadReaders.audio(api, spool, boundary), OpenAiDialect.INSTANCE);
  }

  /** Whether errors on this path take Anthropic's shape. */
  static boolean isMessages(String servletPath) {
    return servletPath != null
        && (servletPath.equals(MESSAGES) || servletPath.startsWith(MESSAGES + "/"));
  }

  private static ExchangeRoute messages(NativeRequest.Operation operation) {
    ToolNames toolNames = new ToolNames();
    return new ExchangeRoute(
        new MessagesRequestReader(operation, toolNames),
        new MessagesDialect(toolNames, operation == NativeRequest.Operation.COUNT_TOKENS));
  }
}
