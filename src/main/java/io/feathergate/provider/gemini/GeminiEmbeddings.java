package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's embeddings on Gemini: every input is one request of a {@code batchEmbedContents} call
 * (so that the answer keeps the input's order), {@code dimensions} is each request's {@code
 * outputDimensionality}, and the vectors come back as OpenAI's list, base64-encoded by the gateway
 * (little-endian float32, as OpenAI encodes them) when the client asked for {@code base64}. Gemini
 * counts no tokens for embeddings: the usage is the gateway's estimate, the inputs' characters
 * divided by 4 (at least 1 a input).
 */
final class GeminiEmbeddings implements NativeHandler {
  private static final int CHARS_PER_TOKEN = 4;

  private final ProviderSpec spec;

  GeminiEmbeddings(ProviderSpec spec) {
    this.spec = spec;
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    JsonNode clientBody = clientRequest.nativeRequest().body();
    String resource = GeminiEndpoints.resource(route.upstreamModel());
    JsonNode dimensions = clientBody.get("dimensions");
    ObjectNode upstreamBody = Json.MAPPER.createObjectNode();
    ArrayNode requests = upstreamBody.putArray("requests");
    for (String text : texts(clientBody.get("input"), deployment.modelGroup())) {
      ObjectNode request = requests.addObject();
      request.put("model", resource);
      request.putObject("content").putArray("parts").addObject().put("text", text);
      if (dimensions != null && dimensions.canConvertToInt()) {
        request.put("outputDimensionality", dimensions.asInt());
      }
    }
    return UpstreamRequest.post(
        GeminiEndpoints.batchEmbedContents(spec.apiBaseFor(deployment), route.upstreamModel()),
        GeminiEndpoints.headers(deployment),
        Json.bytes(upstreamBody),
        false,
        deployment);
  }

  /** The input's texts; Gemini takes no token ids. */
  private static List<String> texts(JsonNode input, String modelGroup) {
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
                + " is served by Gemini, whose embeddings take text, not token ids.",
            "input");
      }
      texts.add(item.asText());
    }
    return texts;
  }

  @Override
  public byte[] answer(byte[] upstreamBody, ChatRequest clientRequest) {
    JsonNode response = Json.readOrNull(upstreamBody);
    JsonNode embeddings = response == null ? null : response.get("embeddings");
    JsonNode clientBody = clientRequest.nativeRequest().body();
    List<String> texts = texts(clientBody.get("input"), clientRequest.model());
    if (embeddings == null || !embeddings.isArray() || embeddings.size() != texts.size()) {
      throw GatewayException.upstreamProtocol(
          "Gemini's batchEmbedContents answer has no embedding for every input");
    }
    boolean base64 = "base64".equals(clientBody.path("encoding_format").asText());
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    for (int i = 0; i < embeddings.size(); i++) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      JsonNode values = embeddings.get(i).path("values");
      if (base64) {
        item.put("embedding", base64(values));
      } else {
        item.set("embedding", values);
      }
    }
    list.put("model", clientRequest.model());
    long tokens = 0;
    for (String text : texts) {
      tokens += Math.max(1, (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }
    list.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return Json.bytes(list);
  }

  /** A vector as OpenAI's base64: little-endian float32 values. */
  static String base64(JsonNode values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.size() * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode value : values) {
      bytes.putFloat(value.floatValue());
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  @Override
  public TokenUsage usage(byte[] answer) {
    JsonNode list = Json.readOrNull(answer);
    return list == null ? null : TokenUsage.of(list.get("usage"));
  }

  @Override
  public Stream newStream() {
    return NO_STREAM;
  }
}
