package io.feathergate.core.exchange;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.PromptEstimate;
import io.feathergate.wire.Json;

/**
 * A prompt's token count where the provider has no counting call: the gateway's estimate ({@link
 * PromptEstimate}), as a {@code prompt.token_count} object ({@code prompt_tokens}, {@code
 * estimated: true}) that the client's dialect frames. It carries no usage: counting consumes none.
 */
final class TokenCounts {
  private TokenCounts() {}

  static ChatCompletion estimate(ChatRequest clientRequest) {
    ObjectNode count = Json.MAPPER.createObjectNode();
    count.put("object", "prompt.token_count");
    count.put("prompt_tokens", PromptEstimate.tokens(clientRequest));
    count.put("estimated", true);
    return new ChatCompletion(Json.bytes(count), null);
  }
}
