package io.feathergate.core.spi;

/** A provider's own API that clients may speak to the gateway directly. */
public enum NativeApi {
  /** Anthropic's Messages API ({@code /v1/messages}). */
  ANTHROPIC_MESSAGES(null),

  /**
   * OpenAI's embeddings ({@code /v1/embeddings}). It and the other OpenAI endpoints beyond chat
   * have no chat translation: a provider serves them only through its own {@link NativeHandler}.
   */
  OPENAI_EMBEDDINGS("embeddings"),

  /** OpenAI's image generation ({@code /v1/images/generations}). */
  OPENAI_IMAGES("images/generations"),

  /** OpenAI's moderations ({@code /v1/moderations}). */
  OPENAI_MODERATIONS("moderations"),

  /** OpenAI's legacy text completions ({@code /v1/completions}), streamed or not. */
  OPENAI_COMPLETIONS("completions"),

  /**
   * OpenAI's Responses API ({@code /v1/responses}), streamed or not. Unlike the other OpenAI
   * endpoints it has a chat translation: providers without it are bridged through chat.
   */
  OPENAI_RESPONSES("responses"),

  /**
   * Cohere's rerank ({@code /v1/rerank}), which Jina AI, vLLM and other OpenAI-compatible servers
   * serve beside OpenAI's endpoints.
   */
  RERANK("rerank"),

  /** OpenAI's text to speech ({@code /v1/audio/speech}): JSON in, audio out. */
  OPENAI_SPEECH("audio/speech"),

  /** OpenAI's transcriptions ({@code /v1/audio/transcriptions}): an upload in, text out. */
  OPENAI_TRANSCRIPTIONS("audio/transcriptions"),

  /** OpenAI's translations into English ({@code /v1/audio/translations}): as transcriptions. */
  OPENAI_TRANSLATIONS("audio/translations");

  private final String openAiPath;

  /** Whether requests to it are multipart uploads ({@link NativeRequest#upload()}). */
  public boolean isUpload() {
    return this == OPENAI_TRANSCRIPTIONS || this == OPENAI_TRANSLATIONS;
  }

  NativeApi(String openAiPath) {
    this.openAiPath = openAiPath;
  }

  /** The path after an OpenAI-style base ({@code .../v1/}), or null for other APIs. */
  public String openAiPath() {
    return openAiPath;
  }
}
