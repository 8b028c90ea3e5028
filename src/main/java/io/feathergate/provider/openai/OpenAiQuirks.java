package io.feathergate.provider.openai;

import static io.feathergate.core.spi.ProviderQuirk.EMPTY_FINISH_REASON_OF_TOOL_CALLS;
import static io.feathergate.core.spi.ProviderQuirk.FIREWORKS_MODEL_PATH;
import static io.feathergate.core.spi.ProviderQuirk.NO_MESSAGE_NAMES;
import static io.feathergate.core.spi.ProviderQuirk.NO_STREAM_OPTIONS;
import static io.feathergate.core.spi.ProviderQuirk.NO_STRICT_TOOLS;
import static io.feathergate.core.spi.ProviderQuirk.NO_TEXT_RESPONSE_FORMAT;
import static io.feathergate.core.spi.ProviderQuirk.REASONING_AS_REASONING_CONTENT;
import static io.feathergate.core.spi.ProviderQuirk.TEXT_CONTENT_AS_STRING;
import static io.feathergate.core.spi.ProviderQuirk.TOOL_CHOICE_AUTO_OR_NONE;
import static io.feathergate.core.spi.ProviderQuirk.TOOL_CHOICE_REQUIRED_AS_ANY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;

/**
 * What each {@link io.feathergate.core.spi.ProviderQuirk} of an OpenAI-compatible row does to a
 * request on its way up and to an answer or chunk on its way back. Requests arrive here as a
 * shallow copy of the client's body: whatever is changed below the top level is copied first.
 */
final class OpenAiQuirks {
  private OpenAiQuirks() {}

  /** The model name as the provider wants it in the body. */
  static String upstreamModel(ProviderSpec spec, String model) {
    if (spec.has(FIREWORKS_MODEL_PATH) && !model.startsWith("accounts/")) {
      return "accounts/fireworks/models/" + model;
    }
    return model;
  }

  static void applyToRequest(ProviderSpec spec, ObjectNode body, boolean dropParams) {
    JsonNode toolChoice = body.get("tool_choice");
    if (spec.has(TOOL_CHOICE_REQUIRED_AS_ANY)
        && toolChoice != null
        && "required".equals(toolChoice.asText())) {
      body.put("tool_choice", "any");
    }
    if (spec.has(TOOL_CHOICE_AUTO_OR_NONE) && toolChoice != null && !toolChoice.isNull()) {
      String value = toolChoice.isTextual() ? toolChoice.asText() : "";
      if (!value.equals("auto") && !value.equals("none")) {
        if (!dropParams) {
          throw GatewayException.badRequest(
              spec.name()
                  + " accepts tool_choice \"auto\" or \"none\" only. Use one of them, or set"
                  + " drop_params: true for this model to have it dropped.",
              "tool_choice");
        }
        body.remove("tool_choice");
      }
    }
    if (spec.has(NO_STREAM_OPTIONS)) {
      body.remove("stream_options");
    }
    if (spec.has(NO_TEXT_RESPONSE_FORMAT)
        && "text".equals(body.path("response_format").path("type").asText(null))) {
      body.remove("response_format");
    }
    if (spec.has(NO_STRICT_TOOLS) && body.get("tools") instanceof ArrayNode tools) {
      ArrayNode copy = tools.deepCopy();
      for (JsonNode tool : copy) {
        if (tool.get("function") instanceof ObjectNode function) {
          function.remove("strict");
        }
      }
      body.set("tools", copy);
    }
    boolean names = spec.has(NO_MESSAGE_NAMES);
    boolean flatten = spec.has(TEXT_CONTENT_AS_STRING);
    if ((names || flatten) && body.get("messages") instanceof ArrayNode messages) {
      ArrayNode copy = messages.deepCopy();
      for (JsonNode message : copy) {
        if (message instanceof ObjectNode object) {
          if (names) {
            object.remove("name");
          }
          if (flatten && object.get("content") instanceof ArrayNode parts) {
            String text = textOnly(parts);
            if (text != null) {
              object.put("content", text);
            }
          }
        }
      }
      body.set("messages", copy);
    }
  }

  /** The parts' text joined, or null when a part is not text. */
  private static String textOnly(ArrayNode parts) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : parts) {
      if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
        return null;
      }
      text.append(part.get("text").asText());
    }
    return text.toString();
  }

  private static final String REASONING = "\"reasoning\"";
  private static final String EMPTY_FINISH = "\"finish_reason\":\"\"";

  /** A whole answer in OpenAI's terms; the same array when nothing needed changing. */
  static byte[] applyToAnswer(ProviderSpec spec, byte[] answer) {
    if (!needsRewrite(spec, answer)) {
      return answer;
    }
    JsonNode root = Json.readOrNull(answer);
    if (!(root instanceof ObjectNode completion)) {
      return answer;
    }
    rewriteChoices(spec, completion, "message");
    return Json.bytes(completion);
  }

  /** A chunk in OpenAI's terms; the same string when nothing needed changing. */
  static String applyToChunk(ProviderSpec spec, String chunk) {
    boolean reasoning = spec.has(REASONING_AS_REASONING_CONTENT) && chunk.contains(REASONING);
    boolean finish = spec.has(EMPTY_FINISH_REASON_OF_TOOL_CALLS) && chunk.contains(EMPTY_FINISH);
    if (!reasoning && !finish) {
      return chunk;
    }
    JsonNode root = Json.readOrNull(chunk.getBytes(StandardCharsets.UTF_8));
    if (!(root instanceof ObjectNode object)) {
      return chunk;
    }
    rewriteChoices(spec, object, "delta");
    return Json.text(object);
  }

  private static boolean needsRewrite(ProviderSpec spec, byte[] answer) {
    if (!spec.has(REASONING_AS_REASONING_CONTENT) && !spec.has(EMPTY_FINISH_REASON_OF_TOOL_CALLS)) {
      return false;
    }
    String text = new String(answer, StandardCharsets.UTF_8);
    return (spec.has(REASONING_AS_REASONING_CONTENT) && text.contains(REASONING))
        || (spec.has(EMPTY_FINISH_REASON_OF_TOOL_CALLS) && text.contains(EMPTY_FINISH));
  }

  private static void rewriteChoices(ProviderSpec spec, ObjectNode root, String messageField) {
    for (JsonNode choice : root.path("choices")) {
      if (!(choice instanceof ObjectNode object)) {
        continue;
      }
      JsonNode message = object.get(messageField);
      if (spec.has(REASONING_AS_REASONING_CONTENT)
          && message instanceof ObjectNode fields
          && fields.has("reasoning")
          && !fields.has("reasoning_content")) {
        JsonNode reasoning = fields.remove("reasoning");
        if (!reasoning.isNull()) {
          fields.set("reasoning_content", reasoning);
        }
      }
      if (spec.has(EMPTY_FINISH_REASON_OF_TOOL_CALLS)
          && "".equals(object.path("finish_reason").asText(null))) {
        object.put("finish_reason", "tool_calls");
      }
    }
  }
}
