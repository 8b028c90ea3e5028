package io.feathergate.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The texts of an OpenAI embeddings {@code input}, for providers that take no token ids. */
public final class EmbeddingInputs {
  /** Characters counted as one token where a provider reports no usage. */
  public static final int CHARS_PER_TOKEN = 4;

  private EmbeddingInputs() {}

  /**
   * The input's texts in order; token-id input is a 400 naming the model group and the provider.
   */
  public static List<String> texts(JsonNode input, String modelGroup, String provider) {
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) {
      texts.add(input.asText());
      return texts;
    }
    for (JsonNode item : input) {
      if (!item.isTextual()) {
        throw GatewayException.badRequest(
            "Invalid 'input': model group "
                + modelGroup
                + " is served by "
                + provider
                + ", whose embeddings take text, not token ids.",
            "input");
      }
      texts.add(item.asText());
    }
    return texts;
  }

  /**
   * The task the vectors are for, as Google's APIs name it ({@code RETRIEVAL_QUERY}, {@code
   * RETRIEVAL_DOCUMENT}, {@code SEMANTIC_SIMILARITY}, ...): LiteLLM's {@code task_type} or {@code
   * input_type} of the client's body, or null when it names none.
   */
  public static String taskType(JsonNode clientBody) {
    for (String field : new String[] {"task_type", "input_type"}) {
      JsonNode value = clientBody.get(field);
      if (value != null && value.isTextual() && !value.asText().isBlank()) {
        return value.asText().strip().toUpperCase(java.util.Locale.ROOT);
      }
    }
    return null;
  }

  /**
   * Adds one vector to an OpenAI embeddings list's {@code data}, at the next index: as numbers, or
   * as OpenAI's base64 of little-endian float32 when the client asked for {@code base64}.
   */
  public static void addVector(ArrayNode data, JsonNode vector, boolean base64) {
    if (!vector.isArray()) {
      throw GatewayException.upstreamProtocol("an embedding is not an array of numbers");
    }
    ObjectNode item = data.addObject();
    item.put("object", "embedding");
    item.put("index", data.size() - 1);
    if (base64) {
      ByteBuffer floats =
          ByteBuffer.allocate(vector.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      vector.forEach(value -> floats.putFloat(value.floatValue()));
      item.put("embedding", Base64.getEncoder().encodeToString(floats.array()));
    } else {
      item.set("embedding", vector);
    }
  }

  /** The usage of an OpenAI embeddings list the gateway built from a provider's answer. */
  public static TokenUsage usageOf(byte[] openAiList) {
    JsonNode list = io.feathergate.wire.Json.readOrNull(openAiList);
    return list == null ? null : TokenUsage.of(list.get("usage"));
  }

  /** The gateway's token estimate for texts: characters / 4, rounded up, at least 1 a text. */
  public static long estimatedTokens(List<String> texts) {
    long tokens = 0;
    for (String text : texts) {
      tokens += Math.max(1, (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }
    return tokens;
  }
}
