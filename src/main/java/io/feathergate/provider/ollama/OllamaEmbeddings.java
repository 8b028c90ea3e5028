package io.feathergate.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.EmbeddingHandler;
import io.feathergate.core.spi.EmbeddingInputs;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.util.List;

/**
 * OpenAI's embeddings on Ollama's {@code /api/embed}: the texts in one call ({@code dimensions}
 * passed on), the vectors back as OpenAI's list in input order, base64-encoded by the gateway when
 * asked; usage from Ollama's {@code prompt_eval_count}.
 */
final class OllamaEmbeddings implements EmbeddingHandler {
  private final ProviderSpec spec;

  OllamaEmbeddings(ProviderSpec spec) {
    this.spec = spec;
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    JsonNode clientBody = clientRequest.nativeRequest().body();
    List<String> texts =
        EmbeddingInputs.texts(clientBody.get("input"), deployment.modelGroup(), "Ollama");
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", route.upstreamModel());
    ArrayNode input = body.putArray("input");
    texts.forEach(input::add);
    JsonNode dimensions = clientBody.get("dimensions");
    if (dimensions != null && dimensions.canConvertToInt()) {
      body.put("dimensions", dimensions.asInt());
    }
    return UpstreamRequest.post(
        OllamaAdapter.uri(spec.apiBaseFor(deployment), "/api/embed"),
        OllamaAdapter.headers(deployment),
        Json.bytes(body),
        false,
        deployment);
  }

  @Override
  public byte[] answer(byte[] upstreamBody, ChatRequest clientRequest) {
    JsonNode answer = Json.readOrNull(upstreamBody);
    JsonNode vectors = answer == null ? null : answer.get("embeddings");
    if (vectors == null || !vectors.isArray()) {
      throw GatewayException.upstreamProtocol("the embeddings answer has no vectors");
    }
    boolean base64 =
        "base64".equals(clientRequest.nativeRequest().body().path("encoding_format").asText(""));
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    for (JsonNode vector : vectors) {
      EmbeddingInputs.addVector(data, vector, base64);
    }
    list.put("model", clientRequest.model());
    long tokens = answer.path("prompt_eval_count").asLong(0);
    list.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return Json.bytes(list);
  }
}
