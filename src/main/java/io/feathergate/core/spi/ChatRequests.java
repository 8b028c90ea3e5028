package io.feathergate.core.spi;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.util.Map;

/**
 * Parses and checks a client's chat-completion body. Only the fields the gateway itself relies on,
 * and the common typed ones, are checked; everything else passes through for the upstream to judge.
 */
public final class ChatRequests {
  private ChatRequests() {}

  /** Fields that must be numbers when present (null is allowed: clients send it for "unset"). */
  private static final String[] NUMBER_FIELDS = {
    "temperature", "top_p", "presence_penalty", "frequency_penalty"
  };

  private static final String[] INTEGER_FIELDS = {
    "max_tokens", "max_completion_tokens", "n", "seed", "top_logprobs"
  };

  public static ChatRequest parse(byte[] body) {
    return check(readObject(body));
  }

  /** A request body as a JSON object, or a 400 that says what is wrong with it and where. */
  public static ObjectNode readObject(byte[] body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw GatewayException.badRequest(
          "Request body is not valid JSON: " + e.getOriginalMessage() + where(e.getLocation()),
          null);
    } catch (IOException e) {
      throw GatewayException.badRequest("Request body could not be read: " + e.getMessage(), null);
    }
    if (root == null || root.isMissingNode()) {
      throw GatewayException.badRequest("Request body is empty; expected a JSON object.", null);
    }
    if (!(root instanceof ObjectNode object)) {
      throw GatewayException.badRequest(
          "Request body must be a JSON object, got " + kind(root) + ".", null);
    }
    return object;
  }

  public static ChatRequest check(ObjectNode body) {
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw GatewayException.badRequest("Missing required parameter: 'model'.", "model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw GatewayException.badRequest(
          "Invalid type for 'model': expected a non-empty string, got " + kind(model) + ".",
          "model");
    }
    checkMessages(body.get("messages"));
    boolean stream = optionalBoolean(body, "stream");
    boolean includeUsage = includeUsage(body);
    for (String field : NUMBER_FIELDS) {
      JsonNode value = body.get(field);
      if (value != null && !value.isNull() && !value.isNumber()) {
        throw typeError(field, "a number", value);
      }
    }
    for (String field : INTEGER_FIELDS) {
      JsonNode value = body.get(field);
      if (value != null && !value.isNull() && !value.canConvertToLong()) {
        throw typeError(field, "an integer", value);
      }
    }
    JsonNode stop = body.get("stop");
    if (stop != null && !stop.isNull() && !stop.isTextual() && !stop.isArray()) {
      throw typeError("stop", "a string or an array of strings", stop);
    }
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull() && !tools.isArray()) {
      throw typeError("tools", "an array", tools);
    }
    return new ChatRequest(body, model.asText(), stream, includeUsage, Map.of(), null);
  }

  /**
   * The same request with {@code stream} and {@code stream_options} read again from its body, after
   * the gateway merged defaults into it; the rest was checked when the client's body was parsed.
   */
  public static ChatRequest rereadStreamFlags(ChatRequest request) {
    ObjectNode body = request.body();
    return new ChatRequest(
        body,
        request.model(),
        optionalBoolean(body, "stream"),
        includeUsage(body),
        request.clientHeaders(),
        request.nativeRequest());
  }

  private static boolean includeUsage(ObjectNode body) {
    JsonNode streamOptions = body.get("stream_options");
    if (streamOptions == null || streamOptions.isNull()) {
      return false;
    }
    if (!streamOptions.isObject()) {
      throw typeError("stream_options", "an object", streamOptions);
    }
    JsonNode include = streamOptions.get("include_usage");
    if (include != null && !include.isNull() && !include.isBoolean()) {
      throw typeError("stream_options.include_usage", "a boolean", include);
    }
    return include != null && include.asBoolean();
  }

  private static void checkMessages(JsonNode messages) {
    if (messages == null || messages.isNull()) {
      throw GatewayException.badRequest("Missing required parameter: 'messages'.", "messages");
    }
    if (!messages.isArray()) {
      throw typeError("messages", "an array", messages);
    }
    if (messages.isEmpty()) {
      throw GatewayException.badRequest(
          "Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages");
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      if (!message.isObject()) {
        throw typeError("messages[" + i + "]", "an object", message);
      }
      JsonNode role = message.get("role");
      if (role == null || !role.isTextual()) {
        throw GatewayException.badRequest(
            "Missing required parameter: 'messages[" + i + "].role'.", "messages[" + i + "].role");
      }
    }
  }

  private static boolean optionalBoolean(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw typeError(field, "a boolean", value);
    }
    return value.asBoolean();
  }

  private static GatewayException typeError(String field, String expected, JsonNode actual) {
    return GatewayException.badRequest(
        "Invalid type for '"
            + field
            + "': expected "
            + expected
            + ", but got "
            + kind(actual)
            + ".",
        field);
  }

  private static final Map<JsonNodeType, String> KINDS =
      Map.of(
          JsonNodeType.ARRAY, "an array",
          JsonNodeType.OBJECT, "an object",
          JsonNodeType.STRING, "a string",
          JsonNodeType.NUMBER, "a number",
          JsonNodeType.BOOLEAN, "a boolean",
          JsonNodeType.NULL, "null");

  private static String kind(JsonNode node) {
    return KINDS.getOrDefault(node.getNodeType(), "a value");
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 0
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
