package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI message content (a string or a list of typed parts) as Gemini parts. Media go by value
 * ({@code inlineData} from a base64 data URL) or by reference ({@code fileData} for {@code gs://}
 * and http(s) URLs, which Gemini fetches itself): the gateway never downloads anything.
 */
final class GeminiParts {
  /** MIME types by file extension, for references that do not say theirs. */
  private static final Map<String, String> MIME_BY_EXTENSION =
      Map.ofEntries(
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("webp", "image/webp"),
          Map.entry("gif", "image/gif"),
          Map.entry("heic", "image/heic"),
          Map.entry("heif", "image/heif"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("txt", "text/plain"),
          Map.entry("mp3", "audio/mp3"),
          Map.entry("wav", "audio/wav"),
          Map.entry("flac", "audio/flac"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("mov", "video/mov"),
          Map.entry("webm", "video/webm"));

  private GeminiParts() {}

  /**
   * Adds the parts of one message's content.
   *
   * @param param where the content sits in the request, for error messages
   */
  static void addContent(JsonNode content, ArrayNode parts, String param) {
    if (content == null || content.isNull()) {
      return;
    }
    if (content.isTextual()) {
      addText(content.asText(), parts);
      return;
    }
    if (!content.isArray()) {
      throw GatewayException.badRequest(
          param + " must be a string or a list of content parts.", param);
    }
    for (int i = 0; i < content.size(); i++) {
      addPart(content.get(i), parts, param + "[" + i + "]");
    }
  }

  /** The text of a content that may only hold text (system, tool and assistant messages). */
  static String textOf(JsonNode content, String param) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      throw GatewayException.badRequest(
          param + " must be a string or a list of text parts.", param);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String type = GeminiJson.text(part, "type");
      if ("text".equals(type) || "refusal".equals(type)) {
        String value = GeminiJson.text(part, type);
        text.append(value == null ? "" : value);
      } else {
        throw GatewayException.badRequest(
            param + "[" + i + "] has type '" + type + "'; only text parts are allowed here.",
            param);
      }
    }
    return text.toString();
  }

  /** Gemini rejects empty text parts: an empty string adds nothing. */
  static void addText(String text, ArrayNode parts) {
    if (!text.isEmpty()) {
      parts.addObject().put("text", text);
    }
  }

  private static void addPart(JsonNode part, ArrayNode parts, String param) {
    String type = GeminiJson.text(part, "type");
    if (type == null) {
      throw GatewayException.badRequest(param + " has no 'type'.", param);
    }
    switch (type) {
      case "text" -> {
        String text = GeminiJson.text(part, "text");
        if (text == null) {
          throw GatewayException.badRequest(param + ".text must be a string.", param);
        }
        addText(text, parts);
      }
      case "image_url" -> parts.add(image(part.get("image_url"), param + ".image_url"));
      case "input_audio" -> parts.add(audio(part.get("input_audio"), param + ".input_audio"));
      case "file" -> parts.add(file(part.get("file"), param + ".file"));
      default ->
          throw GatewayException.badRequest(
              param + " has type '" + type + "', which Gemini cannot take.", param);
    }
  }

  private static ObjectNode image(JsonNode imageUrl, String param) {
    String url = imageUrl != null && imageUrl.isTextual() ? imageUrl.asText() : null;
    // LiteLLM's extension: image_url.format names the MIME type of a reference
    String mimeType = null;
    if (imageUrl != null && imageUrl.isObject()) {
      url = GeminiJson.text(imageUrl, "url");
      mimeType = GeminiJson.text(imageUrl, "format");
    }
    if (url == null) {
      throw GatewayException.badRequest(param + ".url must be a string.", param);
    }
    return media(url, mimeType, "image/jpeg", param);
  }

  /**
   * A data URL, a {@code gs://} object or an http(s) URL. A reference without a known MIME type
   * gets it from its extension, else {@code fallbackMime} (Gemini requires one on {@code fileData}
   * and sniffs the real format of images itself).
   */
  private static ObjectNode media(String url, String mimeType, String fallbackMime, String param) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("data:")) {
      return inline(DataUrl.parse(url, param));
    }
    if (lower.startsWith("gs://") || lower.startsWith("https://") || lower.startsWith("http://")) {
      ObjectNode part = GeminiJson.object();
      ObjectNode fileData = part.putObject("fileData");
      fileData.put("mimeType", mimeType != null ? mimeType : mimeFromPath(url, fallbackMime));
      fileData.put("fileUri", url);
      return part;
    }
    throw GatewayException.badRequest(
        param + " must be a base64 data URL, a gs:// URI or an http(s) URL.", param);
  }

  private static ObjectNode audio(JsonNode audio, String param) {
    String data = GeminiJson.text(audio, "data");
    String format = GeminiJson.text(audio, "format");
    if (data == null || format == null) {
      throw GatewayException.badRequest(param + " needs 'data' and 'format'.", param);
    }
    return inline(new DataUrl("audio/" + format.toLowerCase(Locale.ROOT), data));
  }

  private static ObjectNode file(JsonNode file, String param) {
    String fileData = GeminiJson.text(file, "file_data");
    String fileId = GeminiJson.text(file, "file_id");
    String mimeType = GeminiJson.text(file, "format");
    if (fileData != null) {
      if (fileData.regionMatches(true, 0, "data:", 0, 5)) {
        return inline(DataUrl.parse(fileData, param + ".file_data"));
      }
      // bare base64, as some clients send it: the file name says what it is
      String filename = GeminiJson.text(file, "filename");
      String mime = mimeType != null ? mimeType : mimeFromPath(filename, null);
      if (mime == null) {
        throw GatewayException.badRequest(
            param + ".file_data must be a data URL, or come with a filename or format.", param);
      }
      return inline(new DataUrl(mime, fileData));
    }
    if (fileId != null && fileId.contains("://")) {
      // a Gemini Files API URI, a gs:// object or a URL Gemini can fetch
      String fallback = mimeFromPath(GeminiJson.text(file, "filename"), "application/pdf");
      return media(fileId, mimeType, fallback, param + ".file_id");
    }
    throw GatewayException.badRequest(
        param
            + " must carry file_data, or a file_id that is a URI (OpenAI file ids mean nothing"
            + " to Gemini).",
        param);
  }

  private static ObjectNode inline(DataUrl data) {
    ObjectNode part = GeminiJson.object();
    ObjectNode inlineData = part.putObject("inlineData");
    inlineData.put("mimeType", data.mimeType());
    inlineData.put("data", data.base64());
    return part;
  }

  static String mimeFromPath(String path, String fallback) {
    if (path == null) {
      return fallback;
    }
    String name = path;
    int query = name.indexOf('?');
    if (query >= 0) {
      name = name.substring(0, query);
    }
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot < name.lastIndexOf('/')) {
      return fallback;
    }
    String mime = MIME_BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    return mime == null ? fallback : mime;
  }

  /** A {@code data:<mime>;base64,<data>} URL, taken apart. */
  record DataUrl(String mimeType, String base64) {
    static DataUrl parse(String url, String param) {
      int comma = url.indexOf(',');
      String header = comma < 0 ? "" : url.substring("data:".length(), comma);
      if (comma < 0 || !header.toLowerCase(Locale.ROOT).endsWith(";base64")) {
        throw GatewayException.badRequest(
            param + " is a data URL that is not base64 (expected data:<mime>;base64,<data>).",
            param);
      }
      int semicolon = header.indexOf(';');
      String mimeType = header.substring(0, semicolon).strip().toLowerCase(Locale.ROOT);
      if (mimeType.isEmpty()) {
        throw GatewayException.badRequest(param + " is a data URL without a MIME type.", param);
      }
      return new DataUrl(mimeType, url.substring(comma + 1));
    }
  }
}
