package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI's legacy text completions on the wire: a text-completion upstream's answer and events go
 * out as they came; a chat-only provider's answer and chunks become {@code text_completion}s, each
 * choice's {@code message.content} (or {@code delta.content}) its {@code text}. Stateless: one
 * instance serves every exchange.
 */
final class CompletionsDialect implements ClientDialect {
  static final CompletionsDialect INSTANCE = new CompletionsDialect();

  private CompletionsDialect() {}

  @Override
  public byte[] answer(ChatCompletion completion) {
    if (completion.inClientApi()) {
      return completion.json();
    }
    JsonNode chat = Json.readOrNull(completion.json());
    return Json.bytes(textCompletion(chat == null ? Json.MAPPER.createObjectNode() : chat, false));
  }

  @Override
  public byte[] chunk(String chunkJson) {
    JsonNode chunk = Json.readOrNull(chunkJson.getBytes(StandardCharsets.UTF_8));
    if (chunk == null || !chunk.isObject()) {
      return new byte[0];
    }
    return SseFrames.data(textCompletion(chunk, true).toString());
  }

  /** A chat completion or chunk as a text completion (or one of its chunks). */
  private static ObjectNode textCompletion(JsonNode chat, boolean chunk) {
    ObjectNode completion = Json.MAPPER.createObjectNode();
    String id = chat.path("id").asText("");
    completion.put("id", id.startsWith("chatcmpl-") ? "cmpl-" + id.substring(9) : id);
    completion.put("object", "text_completion");
    completion.put("created", chat.path("created").asLong(0));
    completion.put("model", chat.path("model").asText(""));
    ArrayNode choices = completion.putArray("choices");
    for (JsonNode choice : chat.path("choices")) {
      JsonNode content = choice.path(chunk ? "delta" : "message").path("content");
      ObjectNode text = choices.addObject();
      text.put("text", content.isTextual() ? content.asText() : "");
      text.put("index", choice.path("index").asInt(0));
      text.putNull("logprobs");
      text.set(
          "finish_reason",
          choice.path("finish_reason").isTextual()
              ? choice.get("finish_reason")
              : Json.MAPPER.nullNode());
    }
    JsonNode usage = chat.get("usage");
    if (usage != null && !usage.isNull()) {
      completion.set("usage", usage);
    }
    return completion;
  }

  @Override
  public byte[] event(SseEvent event) {
    return OpenAiDialect.INSTANCE.event(event);
  }

  @Override
  public byte[] end(TokenUsage usage) {
    return OpenAiDialect.INSTANCE.end(usage);
  }

  @Override
  public byte[] error(GatewayException failure, String requestId) {
    return OpenAiDialect.INSTANCE.error(failure, requestId);
  }

  @Override
  public byte[] streamError(GatewayException failure, String requestId) {
    return OpenAiDialect.INSTANCE.streamError(failure, requestId);
  }
}
