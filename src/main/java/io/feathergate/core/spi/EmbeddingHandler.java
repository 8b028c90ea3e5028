package io.feathergate.core.spi;

/**
 * A {@link NativeHandler} that answers OpenAI's embeddings in a provider's own form: its answer is
 * OpenAI's list the handler built, whose usage is read back from it, and never a stream.
 */
public interface EmbeddingHandler extends NativeHandler {

  @Override
  default TokenUsage usage(byte[] answer) {
    return EmbeddingInputs.usageOf(answer);
  }

  @Override
  default Stream newStream() {
    return NO_STREAM;
  }
}
