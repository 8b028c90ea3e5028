package io.feathergate.core.spi;

/** A provider's own API that clients may speak to the gateway directly. */
public enum NativeApi {
  /** Anthropic's Messages API ({@code /v1/messages}). */
  ANTHROPIC_MESSAGES,

  /**
   * OpenAI's embeddings API ({@code /v1/embeddings}): no chat translation exists, so a provider
   * serves it only through its own {@link NativeHandler}.
   */
  OPENAI_EMBEDDINGS
}
