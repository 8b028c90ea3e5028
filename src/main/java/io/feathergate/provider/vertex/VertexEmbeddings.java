package io.feathergate.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.EmbeddingHandler;
import io.feathergate.core.spi.EmbeddingInputs;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's embeddings on Vertex AI ({@code text-embedding-005}, {@code gemini-embedding-001}, ...):
 * one {@code :predict} call with an instance per input, {@code dimensions} as {@code
 * outputDimensionality}, {@code task_type} or {@code input_type} as each instance's {@code
 * task_type}, the vectors back as OpenAI's list in input order (base64-encoded by the gateway when
 * asked for), and the usage summed from each prediction's {@code token_count}.
 */
final class VertexEmbeddings implements EmbeddingHandler {

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    JsonNode clientBody = clientRequest.nativeRequest().body();
    ObjectNode upstreamBody = Json.MAPPER.createObjectNode();
    ArrayNode instances = upstreamBody.putArray("instances");
    String taskType = EmbeddingInputs.taskType(clientBody);
    for (String text :
        EmbeddingInputs.texts(clientBody.get("input"), deployment.modelGroup(), "Vertex AI")) {
      ObjectNode instance = instances.addObject().put("content", text);
      if (taskType != null) {
        instance.put("task_type", taskType);
      }
    }
    JsonNode dimensions = clientBody.get("dimensions");
    if (dimensions != null && dimensions.canConvertToInt()) {
      upstreamBody.putObject("parameters").put("outputDimensionality", dimensions.asInt());
    }
    return UpstreamRequest.post(
            VertexAdapter.uri(
                deployment,
                VertexAdapter.checkedModel(route.upstreamModel()),
                "google",
                ":predict"),
            Map.of("Content-Type", "application/json"),
            Json.bytes(upstreamBody),
            false,
            deployment)
        .withHeaders(deployment.extraHeaders())
        .withAuth(VertexAdapter.authorize(deployment));
  }

  @Override
  public byte[] answer(byte[] upstreamBody, ChatRequest clientRequest) {
    JsonNode clientBody = clientRequest.nativeRequest().body();
    List<String> texts =
        EmbeddingInputs.texts(clientBody.get("input"), clientRequest.model(), "Vertex AI");
    JsonNode response = Json.readOrNull(upstreamBody);
    JsonNode predictions = response == null ? null : response.get("predictions");
    if (predictions == null || !predictions.isArray() || predictions.size() != texts.size()) {
      throw GatewayException.upstreamProtocol(
          "Vertex AI's predict answer has no embedding for every input");
    }
    boolean base64 = "base64".equals(clientBody.path("encoding_format").asText());
    ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    long tokens = 0;
    for (int i = 0; i < predictions.size(); i++) {
      JsonNode embeddings = predictions.get(i).path("embeddings");
      JsonNode values = embeddings.get("values");
      if (values == null || !values.isArray()) {
        throw GatewayException.upstreamProtocol("a Vertex AI prediction has no values");
      }
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        item.put("embedding", base64(values));
      } else {
        item.set("embedding", values);
      }
      tokens += embeddings.path("statistics").path("token_count").asLong(0);
    }
    list.put("model", clientRequest.model());
    list.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return Json.bytes(list);
  }

  /** A vector as OpenAI's base64: little-endian float32 values. */
  private static String base64(JsonNode values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode value : values) {
      bytes.putFloat(value.floatValue());
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
