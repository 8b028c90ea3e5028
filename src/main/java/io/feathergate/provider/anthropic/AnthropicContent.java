package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import java.util.Locale;

/**
 * OpenAI content parts as Anthropic content blocks: text, images (a data URL inlined as base64, an
 * http(s) URL passed as a {@code url} source for Anthropic to fetch: the gateway never fetches) and
 * files (a base64 data URL as a {@code document}). {@code cache_control} on a part is kept.
 */
final class AnthropicContent {
  private AnthropicContent() {}

  /**
   * Adds the blocks of one message's {@code content} (a string or an array of parts). Blank text is
   * left out: Anthropic rejects empty and whitespace-only text blocks.
   *
   * @param param the content's path in the client request, for error messages
   */
  static void addParts(JsonNode content, String param, ArrayNode blocks) {
    if (content == null || content.isNull()) {
      return;
    }
    if (content.isTextual()) {
      addText(content.asText(), null, blocks);
      return;
    }
    if (!content.isArray()) {
      throw GatewayException.badRequest(
          "Invalid '" + param + "': expected a string or an array of content parts.", param);
    }
    for (int i = 0; i < content.size(); i++) {
      addPart(content.get(i), param + "[" + i + "]", blocks);
    }
  }

  private static void addPart(JsonNode part, String param, ArrayNode blocks) {
    String type = part.path("type").asText("");
    JsonNode cacheControl = part.get("cache_control");
    switch (type) {
      // assistant history may carry an earlier refusal as a part of its own
      case "text", "refusal" -> addText(part.path(type).asText(""), cacheControl, blocks);
      case "image_url" -> blocks.add(withCacheControl(image(part.get("image_url"), param), part));
      case "file" -> blocks.add(withCacheControl(file(part.get("file"), param), part));
      default ->
          throw GatewayException.badRequest(
              "Anthropic does not support content parts of type '" + type + "' (" + param + ").",
              param + ".type");
    }
  }

  static void addText(String text, JsonNode cacheControl, ArrayNode blocks) {
    if (text.isBlank()) {
      return;
    }
    ObjectNode block = blocks.addObject();
    block.put("type", "text");
    block.put("text", text);
    if (cacheControl != null && !cacheControl.isNull()) {
      block.set("cache_control", cacheControl);
    }
  }

  private static ObjectNode withCacheControl(ObjectNode block, JsonNode part) {
    JsonNode cacheControl = part.get("cache_control");
    if (cacheControl != null && !cacheControl.isNull()) {
      block.set("cache_control", cacheControl);
    }
    return block;
  }

  /** {@code image_url} is {@code {"url": ..., "detail": ...}}, or a bare string in some clients. */
  private static ObjectNode image(JsonNode imageUrl, String param) {
    JsonNode urlNode = imageUrl != null && imageUrl.isObject() ? imageUrl.get("url") : imageUrl;
    if (urlNode == null || !urlNode.isTextual()) {
      throw GatewayException.badRequest(
          "Missing required parameter: '" + param + ".image_url.url'.", param + ".image_url.url");
    }
    String url = urlNode.asText().strip();
    ObjectNode block = Json.MAPPER.createObjectNode();
    block.put("type", "image");
    String scheme = url.toLowerCase(Locale.ROOT);
    if (scheme.startsWith("data:")) {
      block.set("source", base64Source(url, param + ".image_url.url"));
    } else if (scheme.startsWith("https://") || scheme.startsWith("http://")) {
      ObjectNode source = block.putObject("source");
      source.put("type", "url");
      source.put("url", url);
    } else {
      throw GatewayException.badRequest(
          "Invalid '"
              + param
              + ".image_url.url': expected a data URL or an http(s) URL for Anthropic.",
          param + ".image_url.url");
    }
    return block;
  }

  /** {@code {"type":"file","file":{"file_data":"data:application/pdf;base64,..."}}}. */
  private static ObjectNode file(JsonNode file, String param) {
    JsonNode data = file == null ? null : file.get("file_data");
    if (data == null || !data.isTextual()) {
      throw GatewayException.badRequest(
          "Anthropic needs files inline as '"
              + param
              + ".file.file_data' (a base64 data URL); file ids are not supported.",
          param + ".file");
    }
    ObjectNode block = Json.MAPPER.createObjectNode();
    block.put("type", "document");
    block.set("source", base64Source(data.asText().strip(), param + ".file.file_data"));
    return block;
  }

  /** {@code data:<media type>;base64,<data>} as Anthropic's base64 source. */
  static ObjectNode base64Source(String dataUrl, String param) {
    int comma = dataUrl.indexOf(',');
    String header = comma < 0 ? "" : dataUrl.substring("data:".length(), comma);
    if (comma < 0 || !header.toLowerCase(Locale.ROOT).endsWith(";base64")) {
      throw GatewayException.badRequest(
          "Invalid '" + param + "': a data URL must be base64 (data:<media type>;base64,<data>).",
          param);
    }
    String mediaType = header.substring(0, header.length() - ";base64".length());
    int parameters = mediaType.indexOf(';');
    if (parameters >= 0) {
      mediaType = mediaType.substring(0, parameters);
    }
    ObjectNode source = Json.MAPPER.createObjectNode();
    source.put("type", "base64");
    source.put("media_type", mediaType.toLowerCase(Locale.ROOT));
    source.put("data", dataUrl.substring(comma + 1));
    return source;
  }
}
