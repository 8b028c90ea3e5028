package io.feathergate.core.spi;

/**
 * Which requests a deployment of a {@code model_info.mode} serves, as LiteLLM names the modes: a
 * chat model serves chat, Anthropic's messages, the Responses API and legacy completions; an
 * embedding model embeddings only; and so on. A deployment without a mode, or with one the gateway
 * does not know, serves whatever its provider takes.
 */
public final class ModelModes {
  private ModelModes() {}

  /**
   * Whether a deployment of {@code mode} serves a request in {@code api}.
   *
   * @param api the request's API; null for chat completions
   */
  public static boolean serves(String mode, NativeApi api) {
    if (mode == null) {
      return true;
    }
    return switch (mode) {
      case "chat", "completion", "responses" ->
          api == null
              || api == NativeApi.ANTHROPIC_MESSAGES
              || api == NativeApi.OPENAI_RESPONSES
              || api == NativeApi.OPENAI_COMPLETIONS;
      case "embedding" -> api == NativeApi.OPENAI_EMBEDDINGS;
      case "image_generation" -> api == NativeApi.OPENAI_IMAGES;
      case "moderation" -> api == NativeApi.OPENAI_MODERATIONS;
      case "rerank" -> api == NativeApi.RERANK;
      case "audio_speech" -> api == NativeApi.OPENAI_SPEECH;
      case "audio_transcription" ->
          api == NativeApi.OPENAI_TRANSCRIPTIONS || api == NativeApi.OPENAI_TRANSLATIONS;
      default -> true;
    };
  }

  /** The route that serves a mode, for an error that points there; null when unknown. */
  public static String routeFor(String mode) {
    return switch (mode) {
      case "chat", "completion", "responses" -> "/v1/chat/completions";
      case "embedding" -> "/v1/embeddings";
      case "image_generation" -> "/v1/images/generations";
      case "moderation" -> "/v1/moderations";
      case "rerank" -> "/v1/rerank";
      case "audio_speech" -> "/v1/audio/speech";
      case "audio_transcription" -> "/v1/audio/transcriptions";
      default -> null;
    };
  }
}
