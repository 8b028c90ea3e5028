package io.feathergate.provider.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's embeddings on Gemini: every input is one request of a {@code batchEmbedContents} call
 * (so that the answer keeps the input's order), {@code dimensions} is each request's {@code
 * outputDimensionality}, and the vectors come back as OpenAI's list, base64-encoded by the gateway
 * (little-endian float32, as OpenAI encodes them) when the client asked for {@code base64}; a
 * {@code task_type} or {@code input_type} is each request's {@code taskType}. Gemini counts no
 * tokens for embeddings: the usage is the gateway's estimate, the inputs' characters divided by 4
 * (at least 1 a input).
 */
final class GeminiEmbeddings implements EmbeddingHandler {
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
    String taskType = EmbeddingInputs.taskType(clientBody);
    ObjectNode upstreamBody = Json.MAPPER.createObjectNode();
    ArrayNode requests = upstreamBody.putArray("requests");
    for (String text :
        EmbeddingInputs.texts(clientBody.get("input"), deployment.modelGroup(), "Gemini")) {
      ObjectNode request = requests.addObject();
      request.put("model", resource);
      request.putObject("content").putArray("parts").addObject().put("text", text);
      if (dimensions != null && dimensions.canConvertToInt()) {
        request.put("outputDimensionality", dimensions.asInt());
      }
      if (taskType != null) {
        request.put("taskType", taskType);
      }
    }
    return UpstreamRequest.post(
        GeminiEndpoints.batchEmbedContents(spec.apiBaseFor(deployment), route.upstreamModel()),
        GeminiEndpoints.headers(deployment),
        Json.bytes(upstreamBody),
        false,
        deployment);
  }

  /**
   * Gemini's {@code {"embeddings":[{"values":[...]}, ...]}} as OpenAI's list, copied token by
   * token: each number goes out as the text it came as (or into the base64 vector), so that
   * thousands of floats are neither parsed into a tree nor printed again.
   */
  @Override
  public byte[] answer(byte[] upstreamBody, ChatRequest clientRequest) {
    JsonNode clientBody = clientRequest.nativeRequest().body();
    List<String> texts =
        EmbeddingInputs.texts(clientBody.get("input"), clientRequest.model(), "Gemini");
    boolean base64 = "base64".equals(clientBody.path("encoding_format").asText());
    ByteArrayOutputStream out = new ByteArrayOutputStream(upstreamBody.length + 256);
    int vectors;
    try (JsonParser in = Json.MAPPER.getFactory().createParser(upstreamBody);
        JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("object", "list");
      json.writeArrayFieldStart("data");
      vectors = copyVectors(in, json, base64);
      json.writeEndArray();
      json.writeStringField("model", clientRequest.model());
      long tokens = EmbeddingInputs.estimatedTokens(texts);
      json.writeObjectFieldStart("usage");
      json.writeNumberField("prompt_tokens", tokens);
      json.writeNumberField("total_tokens", tokens);
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw GatewayException.upstreamProtocol("Gemini's batchEmbedContents answer is not JSON");
    }
    if (vectors != texts.size()) {
      throw GatewayException.upstreamProtocol(
          "Gemini's batchEmbedContents answer has no embedding for every input");
    }
    return out.toByteArray();
  }

  /** Writes an OpenAI embedding object for each of Gemini's; returns how many. */
  private static int copyVectors(JsonParser in, JsonGenerator json, boolean base64)
      throws IOException {
    if (in.nextToken() != JsonToken.START_OBJECT) {
      throw new JsonParseException(in, "not an object");
    }
    int index = 0;
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String field = in.currentName();
      if (in.nextToken() != JsonToken.START_ARRAY || !field.equals("embeddings")) {
        in.skipChildren();
        continue;
      }
      while (in.nextToken() == JsonToken.START_OBJECT) {
        while (in.nextToken() == JsonToken.FIELD_NAME) {
          String key = in.currentName();
          if (in.nextToken() != JsonToken.START_ARRAY || !key.equals("values")) {
            in.skipChildren();
            continue;
          }
          json.writeStartObject();
          json.writeStringField("object", "embedding");
          json.writeNumberField("index", index++);
          if (base64) {
            json.writeStringField("embedding", base64(in));
          } else {
            json.writeArrayFieldStart("embedding");
            while (in.nextToken() != JsonToken.END_ARRAY) {
              json.writeNumber(number(in).getText());
            }
            json.writeEndArray();
          }
          json.writeEndObject();
        }
      }
    }
    return index;
  }

  private static JsonParser number(JsonParser in) throws IOException {
    if (!in.currentToken().isNumeric()) {
      throw new JsonParseException(in, "a vector value is not a number");
    }
    return in;
  }

  /** The rest of a {@code values} array as OpenAI's base64: little-endian float32 values. */
  private static String base64(JsonParser in) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(4096 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    while (in.nextToken() != JsonToken.END_ARRAY) {
      if (!bytes.hasRemaining()) {
        bytes =
            ByteBuffer.allocate(bytes.capacity() * 2)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(bytes.flip());
      }
      bytes.putFloat(number(in).getFloatValue());
    }
    return Base64.getEncoder().encodeToString(Arrays.copyOf(bytes.array(), bytes.position()));
  }
}
