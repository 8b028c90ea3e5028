package io.feathergate.provider.bedrock;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OpenAI's embeddings on Bedrock's InvokeModel: Amazon Titan text embeddings take one text a call,
 * so a request of several texts becomes that many calls sent at once; Cohere's embed models take up
 * to 96 texts a call. The vectors come back as OpenAI's list in input order, base64-encoded by the
 * gateway when asked ({@code float32}, little-endian, as OpenAI encodes them). Titan reports its
 * token counts; Cohere's are the gateway's estimate (characters / 4).
 */
final class BedrockEmbeddings implements EmbeddingHandler {
  /** Cohere's limit of texts in one call. */
  static final int COHERE_BATCH = 96;

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    return toUpstreams(clientRequest, route).get(0);
  }

  @Override
  public List<UpstreamRequest> toUpstreams(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    String modelId = BedrockEndpoint.modelId(route.upstreamModel());
    String region = BedrockEndpoint.region(deployment, modelId);
    JsonNode clientBody = clientRequest.nativeRequest().body();
    List<String> texts =
        EmbeddingInputs.texts(clientBody.get("input"), deployment.modelGroup(), "Bedrock");
    JsonNode dimensions = clientBody.get("dimensions");
    List<ObjectNode> bodies = new ArrayList<>();
    if (isTitan(modelId)) {
      for (String text : texts) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("inputText", text);
        if (dimensions != null && dimensions.canConvertToInt()) {
          body.put("dimensions", dimensions.asInt());
        }
        bodies.add(body);
      }
    } else if (isCohere(modelId)) {
      String inputType = EmbeddingInputs.taskType(clientBody);
      for (int from = 0; from < texts.size(); from += COHERE_BATCH) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode batch = body.putArray("texts");
        texts.subList(from, Math.min(texts.size(), from + COHERE_BATCH)).forEach(batch::add);
        // required by Cohere; LiteLLM's default
        body.put(
            "input_type",
            inputType == null ? "search_document" : inputType.toLowerCase(Locale.ROOT));
        body.putArray("embedding_types").add("float");
        if (dimensions != null && dimensions.canConvertToInt()) {
          body.put("output_dimension", dimensions.asInt());
        }
        bodies.add(body);
      }
    } else {
      throw GatewayException.badRequest(
          "Model group "
              + deployment.modelGroup()
              + " is served by Bedrock model "
              + modelId
              + ", whose embeddings the gateway does not speak: Amazon Titan text and Cohere"
              + " embed models are served.",
          "model");
    }
    List<UpstreamRequest> requests = new ArrayList<>(bodies.size());
    for (ObjectNode body : bodies) {
      requests.add(
          BedrockAdapter.request(
              deployment,
              BedrockEndpoint.uri(deployment, modelId, region, "invoke"),
              region,
              Json.bytes(body),
              false));
    }
    return requests;
  }

  static boolean isTitan(String modelId) {
    return modelId.contains("amazon.titan-embed-text");
  }

  static boolean isCohere(String modelId) {
    return modelId.contains("cohere.embed");
  }

  @Override
  public byte[] answer(byte[] upstreamBody, ChatRequest clientRequest) {
    JsonNode root = Json.readOrNull(upstreamBody);
    if (root == null) {
      throw GatewayException.upstreamProtocol("the embeddings answer is not JSON");
    }
    List<JsonNode> answers = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(answers::add);
    } else {
      answers.add(root);
    }
    JsonNode clientBody = clientRequest.nativeRequest().body();
    boolean base64 = "base64".equals(clientBody.path("encoding_format").asText(""));
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    long tokens = 0;
    boolean counted = true;
    for (JsonNode answer : answers) {
      if (answer.has("embedding")) {
        EmbeddingInputs.addVector(data, answer.get("embedding"), base64);
        tokens += answer.path("inputTextTokenCount").asLong(0);
        counted &= answer.has("inputTextTokenCount");
      } else {
        JsonNode vectors = answer.path("embeddings");
        if (vectors.isObject()) {
          vectors = vectors.path("float"); // embeddings_by_type
        }
        if (!vectors.isArray()) {
          throw GatewayException.upstreamProtocol("the embeddings answer has no vectors");
        }
        for (JsonNode vector : vectors) {
          EmbeddingInputs.addVector(data, vector, base64);
        }
        counted = false;
      }
    }
    list.put("model", clientRequest.model());
    if (!counted) {
      tokens =
          EmbeddingInputs.estimatedTokens(
              EmbeddingInputs.texts(clientBody.get("input"), clientRequest.model(), "Bedrock"));
    }
    list.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return Json.bytes(list);
  }
}
