package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeRequest;
import java.util.Map;

/**
 * Reads an embeddings request ({@code /v1/embeddings}): checks {@code model}, {@code input} (a
 * string, strings, a token array or token arrays), {@code encoding_format} and {@code dimensions},
 * and leaves out an {@code encoding_format} that is null or empty, which upstreams refuse. The body
 * travels as a native request: providers that serve OpenAI's embeddings take it as it is; the
 * others refuse it.
 */
final class EmbeddingsRequestReader {
  static final String UNSERVED =
      "Embeddings are served by OpenAI, Azure, Gemini and the OpenAI-compatible providers.";

  private EmbeddingsRequestReader() {}

  static ChatRequest read(byte[] clientBody) {
    ObjectNode body = ChatRequests.readObject(clientBody);
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw GatewayException.badRequest("Missing required parameter: 'model'.", "model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw GatewayException.badRequest("Invalid 'model': expected a non-empty string.", "model");
    }
    checkInput(body.get("input"));
    JsonNode format = body.get("encoding_format");
    if (format != null && !format.isNull() && !format.asText().isEmpty()) {
      if (!format.asText().equals("float") && !format.asText().equals("base64")) {
        throw GatewayException.badRequest(
            "Invalid 'encoding_format': expected 'float' or 'base64', got '"
                + format.asText()
                + "'.",
            "encoding_format");
      }
    } else if (format != null) {
      body = body.deepCopy();
      body.remove("encoding_format");
    }
    JsonNode dimensions = body.get("dimensions");
    if (dimensions != null
        && !dimensions.isNull()
        && (!dimensions.canConvertToInt() || dimensions.asInt() < 1)) {
      throw GatewayException.badRequest(
          "Invalid 'dimensions': expected a positive integer.", "dimensions");
    }
    return new ChatRequest(
        body,
        model.asText(),
        false,
        false,
        Map.of(),
        new NativeRequest(
            NativeApi.OPENAI_EMBEDDINGS, NativeRequest.Operation.CREATE, body, UNSERVED));
  }

  /** A string, or a non-empty array of strings, of token ids or of non-empty token arrays. */
  private static void checkInput(JsonNode input) {
    if (input == null || input.isNull()) {
      throw GatewayException.badRequest("Missing required parameter: 'input'.", "input");
    }
    if (input.isTextual()) {
      return;
    }
    boolean valid = input.isArray() && !input.isEmpty();
    if (valid) {
      JsonNode first = input.get(0);
      for (JsonNode item : input) {
        valid &=
            first.isTextual()
                ? item.isTextual()
                : first.isIntegralNumber() ? item.isIntegralNumber() : isTokenArray(item);
      }
    }
    if (!valid) {
      throw GatewayException.badRequest(
          "Invalid 'input': expected a string, an array of strings, an array of token ids or an"
              + " array of token-id arrays, none of them empty.",
          "input");
    }
  }

  private static boolean isTokenArray(JsonNode item) {
    if (!item.isArray() || item.isEmpty()) {
      return false;
    }
    for (JsonNode token : item) {
      if (!token.isIntegralNumber()) {
        return false;
      }
    }
    return true;
  }
}
