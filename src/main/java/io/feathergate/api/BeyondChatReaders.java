package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.routing.Router;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.wire.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads requests to OpenAI's endpoints beyond chat: each checks what the gateway relies on ({@code
 * model}, for routing) and what OpenAI requires, in OpenAI's words. The body travels as a native
 * request: providers that serve the endpoint take it (as it is, or in their own form); the others
 * refuse it with a 400 naming the model group.
 */
final class BeyondChatReaders {
  private BeyondChatReaders() {}

  /**
   * {@code /v1/embeddings}: {@code input} a string, strings, token ids or token-id arrays; {@code
   * encoding_format} float or base64, and left out when null or empty, which upstreams refuse;
   * {@code dimensions} a positive integer.
   */
  static ChatRequest embeddings(byte[] clientBody) {
    ObjectNode body = ChatRequests.readObject(clientBody);
    String model = model(body);
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
    return request(
        body,
        model,
        NativeApi.OPENAI_EMBEDDINGS,
        "Embeddings are served by OpenAI, Azure, Gemini, Vertex AI, Bedrock and the OpenAI-compatible providers.");
  }

  /** {@code /v1/images/generations}: a {@code prompt} is required. */
  static ChatRequest images(byte[] clientBody) {
    ObjectNode body = ChatRequests.readObject(clientBody);
    String model = model(body);
    requireText(body, "prompt");
    return request(
        body,
        model,
        NativeApi.OPENAI_IMAGES,
        "Image generation is served by OpenAI, Azure and the OpenAI-compatible providers.");
  }

  /**
   * {@code /v1/moderations}: an {@code input} is required; {@code model} too, unlike OpenAI's,
   * because it chooses the model group.
   */
  static ChatRequest moderations(byte[] clientBody) {
    ObjectNode body = ChatRequests.readObject(clientBody);
    String model = model(body);
    JsonNode input = body.get("input");
    if (input == null || input.isNull() || (!input.isTextual() && !input.isArray())) {
      throw GatewayException.badRequest(
          "Missing required parameter: 'input' (a string, strings or content parts).", "input");
    }
    return request(
        body,
        model,
        NativeApi.OPENAI_MODERATIONS,
        "Moderations are served by OpenAI and the OpenAI-compatible providers.");
  }

  /**
   * {@code /v1/completions}: a {@code prompt} (a string, strings, token ids or token-id arrays);
   * {@code stream} and {@code stream_options} as in chat. Translated too, for chat-only providers:
   * one prompt becomes one user message. What chat cannot do (several prompts, token ids) makes the
   * request untranslatable; {@code echo}, {@code suffix}, {@code logprobs} and {@code best_of} too,
   * unless the deployment drops parameters ({@code drop_params}).
   */
  static ChatRequest completions(byte[] clientBody) {
    ObjectNode body = ChatRequests.readObject(clientBody);
    String model = model(body);
    JsonNode prompt = body.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw GatewayException.badRequest("Missing required parameter: 'prompt'.", "prompt");
    }
    if (!prompt.isTextual() && !isTextOrTokenList(prompt)) {
      throw GatewayException.badRequest(
          "Invalid 'prompt': expected a string, an array of strings, an array of token ids or an"
              + " array of token-id arrays, none of them empty.",
          "prompt");
    }
    boolean stream = flag(body, "stream");
    ObjectNode chat = Json.MAPPER.createObjectNode();
    chat.put("model", model);
    boolean texts = prompt.isTextual() || prompt.get(0).isTextual();
    // several prompts: the exchange asks a chat-only provider once per prompt, this is the first
    String text = prompt.isTextual() ? prompt.asText() : texts ? prompt.get(0).asText() : null;
    chat.putArray("messages")
        .addObject()
        .put("role", "user")
        .put("content", text == null ? "" : text);
    for (String field : COMPLETION_TO_CHAT) {
      JsonFields.copy(body, field, chat, field);
    }
    String untranslatable = null;
    boolean droppable = false;
    if (text == null) {
      untranslatable = "A prompt of token ids is served by text-completion providers only.";
    } else if (prompt.size() > 1 && stream) {
      untranslatable =
          "A stream of several prompts is served by text-completion providers only; send one"
              + " prompt per stream, or ask without streaming.";
    } else {
      for (String field : COMPLETION_ONLY) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !(value.isBoolean() && !value.asBoolean())) {
          untranslatable =
              "'" + field + "' exists only in text completions (set drop_params to leave it out).";
          droppable = true;
          break;
        }
      }
    }
    return ChatRequests.check(chat)
        .withNativeRequest(
            new NativeRequest(
                NativeApi.OPENAI_COMPLETIONS,
                NativeRequest.Operation.CREATE,
                body,
                untranslatable,
                droppable));
  }

  /** The parameters a text completion and a chat completion share, the router's among them. */
  private static final List<String> COMPLETION_TO_CHAT =
      Stream.concat(
              Stream.of(
                  "max_tokens",
                  "temperature",
                  "top_p",
                  "n",
                  "stop",
                  "stream",
                  "stream_options",
                  "presence_penalty",
                  "frequency_penalty",
                  "logit_bias",
                  "seed",
                  "user"),
              Router.REQUEST_FIELDS.stream())
          .toList();

  /** The parameters only a text completion has. */
  private static final List<String> COMPLETION_ONLY =
      List.of("echo", "suffix", "logprobs", "best_of");

  /**
   * {@code /v1/rerank} (Cohere's shape): a {@code query}, {@code documents} (strings or objects),
   * and {@code top_n}, when given, a positive integer.
   */
  static ChatRequest rerank(byte[] clientBody) {
    ObjectNode body = ChatRequests.readObject(clientBody);
    String model = model(body);
    requireText(body, "query");
    JsonNode documents = body.get("documents");
    if (documents == null || !documents.isArray() || documents.isEmpty()) {
      throw GatewayException.badRequest(
          "Missing required parameter: 'documents' (a non-empty array).", "documents");
    }
    for (JsonNode document : documents) {
      if (!document.isTextual() && !document.isObject()) {
        throw GatewayException.badRequest(
            "Invalid 'documents': expected strings or objects.", "documents");
      }
    }
    JsonNode topN = body.get("top_n");
    if (topN != null && !topN.isNull() && (!topN.canConvertToInt() || topN.asInt() < 1)) {
      throw GatewayException.badRequest("Invalid 'top_n': expected a positive integer.", "top_n");
    }
    return request(
        body,
        model,
        NativeApi.RERANK,
        "Reranking is served by Cohere, Jina AI and the OpenAI-compatible providers (vLLM, ...).");
  }

  /**
   * {@code /v1/audio/speech}: an {@code input} and a {@code voice} are required; the answer is
   * audio, or events with {@code stream_format: "sse"}.
   */
  static ChatRequest speech(byte[] clientBody) {
    ObjectNode body = ChatRequests.readObject(clientBody);
    String model = model(body);
    requireText(body, "input");
    JsonNode voice = body.get("voice");
    if (voice == null || voice.isNull()) {
      throw GatewayException.badRequest("Missing required parameter: 'voice'.", "voice");
    }
    boolean events = body.path("stream_format").asText("audio").equals("sse");
    return new ChatRequest(
        body,
        model,
        events,
        false,
        Map.of(),
        new NativeRequest(
            NativeApi.OPENAI_SPEECH,
            NativeRequest.Operation.CREATE,
            body,
            "Audio is served by OpenAI, Azure and the OpenAI-compatible providers."));
  }

  /** A required field that must be a non-empty string, in OpenAI's words. */
  private static void requireText(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw GatewayException.badRequest(
          "Missing required parameter: '" + field + "' (a non-empty string).", field);
    }
  }

  /** An optional boolean, false when absent or null. */
  static boolean flag(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw GatewayException.badRequest(
          "Invalid type for '" + field + "': expected a boolean.", field);
    }
    return value.asBoolean();
  }

  /** The {@code model} every request names: a non-empty string, in OpenAI's words. */
  static String model(ObjectNode body) {
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw GatewayException.badRequest("Missing required parameter: 'model'.", "model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw GatewayException.badRequest("Invalid 'model': expected a non-empty string.", "model");
    }
    return model.asText();
  }

  private static ChatRequest request(
      ObjectNode body, String model, NativeApi api, String unserved) {
    return new ChatRequest(
        body,
        model,
        false,
        false,
        Map.of(),
        new NativeRequest(api, NativeRequest.Operation.CREATE, body, unserved));
  }

  /** A string, or a non-empty array of strings, of token ids or of non-empty token arrays. */
  private static void checkInput(JsonNode input) {
    if (input == null || input.isNull()) {
      throw GatewayException.badRequest("Missing required parameter: 'input'.", "input");
    }
    if (!input.isTextual() && !isTextOrTokenList(input)) {
      throw GatewayException.badRequest(
          "Invalid 'input': expected a string, an array of strings, an array of token ids or an"
              + " array of token-id arrays, none of them empty.",
          "input");
    }
  }

  /** A non-empty array of strings, of token ids or of non-empty token-id arrays. */
  private static boolean isTextOrTokenList(JsonNode value) {
    boolean valid = value.isArray() && !value.isEmpty();
    if (valid) {
      JsonNode first = value.get(0);
      for (JsonNode item : value) {
        valid &=
            first.isTextual()
                ? item.isTextual()
                : first.isIntegralNumber() ? item.isIntegralNumber() : isTokenArray(item);
      }
    }
    return valid;
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
