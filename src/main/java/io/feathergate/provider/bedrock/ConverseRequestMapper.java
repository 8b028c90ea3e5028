package io.feathergate.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.UnsupportedParams;
import io.feathergate.wire.Json;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * An OpenAI chat request as a Converse request. System and developer messages become {@code
 * system}; turns become {@code messages} of text, image, document, {@code toolUse} and {@code
 * toolResult} blocks, with consecutive tool results and same-role neighbours merged into one turn
 * (Converse wants strict alternation and every tool result of a turn together) and empty text left
 * out (Converse refuses it); {@code max_tokens}, {@code temperature}, {@code top_p} and {@code
 * stop} go to {@code inferenceConfig}; tools to {@code toolConfig}. Converse's own fields ({@code
 * guardrailConfig}, {@code additionalModelRequestFields}, ...) pass through as the client or the
 * deployment's defaults give them; {@code top_k} and {@code thinking} join {@code
 * additionalModelRequestFields}.
 */
final class ConverseRequestMapper {
  static final Set<String> SUPPORTED =
      Set.of(
          "model",
          "messages",
          "stream",
          "stream_options",
          "temperature",
          "top_p",
          "max_tokens",
          "max_completion_tokens",
          "stop",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "user",
          "n");

  /** Converse request fields a client or a deployment may give as they are. */
  static final Set<String> PASSED_THROUGH =
      Set.of(
          "guardrailConfig",
          "additionalModelRequestFields",
          "additionalModelResponseFieldPaths",
          "promptVariables",
          "requestMetadata",
          "performanceConfig",
          "serviceTier");

  private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");
  private static final Set<String> DOCUMENT_FORMATS =
      Set.of("pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md");

  private ConverseRequestMapper() {}

  static ObjectNode map(ObjectNode clientBody, boolean dropParams) {
    ObjectNode checked = Json.MAPPER.createObjectNode().setAll(clientBody);
    UnsupportedParams.enforce(checked, "Bedrock", SUPPORTED, dropParams);
    JsonNode n = checked.get("n");
    if (n != null && !n.isNull() && n.asInt(1) != 1) {
      if (!dropParams) {
        throw GatewayException.badRequest(
            "Bedrock answers with one choice only: n must be 1.", "n");
      }
    }
    ObjectNode converse = Json.MAPPER.createObjectNode();
    ArrayNode system = Json.MAPPER.createArrayNode();
    ArrayNode messages = converse.putArray("messages");
    JsonNode clientMessages = checked.path("messages");
    if (!clientMessages.isArray() || clientMessages.isEmpty()) {
      throw GatewayException.badRequest("messages must be a non-empty array.", "messages");
    }
    for (int i = 0; i < clientMessages.size(); i++) {
      JsonNode message = clientMessages.get(i);
      String role = message.path("role").asText("");
      String path = "messages[" + i + "]";
      switch (role) {
        case "system", "developer" -> {
          for (JsonNode block : textBlocks(message.get("content"), path)) {
            system.add(block);
          }
        }
        case "user" -> append(messages, "user", userBlocks(message.get("content"), path));
        case "assistant" -> append(messages, "assistant", assistantBlocks(message, path));
        case "tool" -> append(messages, "user", toolResult(message, path));
        default ->
            throw GatewayException.badRequest(
                "Bedrock cannot take a message of role '" + role + "'.", path + ".role");
      }
    }
    if (messages.isEmpty()) {
      throw GatewayException.badRequest(
          "Bedrock needs at least one user or assistant message.", "messages");
    }
    if (!system.isEmpty()) {
      converse.set("system", system);
    }
    ObjectNode inference = Json.MAPPER.createObjectNode();
    JsonNode maxTokens =
        checked.hasNonNull("max_completion_tokens")
            ? checked.get("max_completion_tokens")
            : checked.get("max_tokens");
    if (maxTokens != null && !maxTokens.isNull()) {
      inference.set("maxTokens", maxTokens);
    }
    copy(checked, "temperature", inference, "temperature");
    copy(checked, "top_p", inference, "topP");
    JsonNode stop = checked.get("stop");
    if (stop != null && stop.isTextual()) {
      inference.putArray("stopSequences").add(stop.asText());
    } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
      inference.set("stopSequences", stop);
    }
    if (!inference.isEmpty()) {
      converse.set("inferenceConfig", inference);
    }
    ObjectNode toolConfig = toolConfig(checked, dropParams);
    if (toolConfig != null) {
      converse.set("toolConfig", toolConfig);
    }
    for (String field : PASSED_THROUGH) {
      JsonNode value = checked.get(field);
      if (value != null && !value.isNull()) {
        converse.set(field, value.deepCopy());
      }
    }
    for (String field : new String[] {"top_k", "thinking", "reasoning_config"}) {
      JsonNode value = checked.get(field);
      if (value != null && !value.isNull()) {
        ObjectNode extra =
            converse.get("additionalModelRequestFields") instanceof ObjectNode existing
                ? existing
                : converse.putObject("additionalModelRequestFields");
        if (!extra.has(field)) {
          extra.set(field, value.deepCopy());
        }
      }
    }
    return converse;
  }

  private static void copy(ObjectNode from, String name, ObjectNode to, String as) {
    JsonNode value = from.get(name);
    if (value != null && !value.isNull()) {
      to.set(as, value);
    }
  }

  /** Adds blocks to the last turn when it has the same role, else as a new turn. */
  private static void append(ArrayNode messages, String role, ArrayNode blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
    if (last != null && role.equals(last.path("role").asText())) {
      ((ArrayNode) last.get("content")).addAll(blocks);
      return;
    }
    ObjectNode turn = messages.addObject();
    turn.put("role", role);
    turn.set("content", blocks);
  }

  private static ArrayNode textBlocks(JsonNode content, String path) {
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isTextual()) {
      addText(blocks, content.asText());
      return blocks;
    }
    if (content.isArray()) {
      for (JsonNode part : content) {
        if (!"text".equals(part.path("type").asText())) {
          throw GatewayException.badRequest(
              "Bedrock takes only text in system messages.", path + ".content");
        }
        addText(blocks, part.path("text").asText(""));
      }
      return blocks;
    }
    throw GatewayException.badRequest(
        "content must be text or a list of parts.", path + ".content");
  }

  private static void addText(ArrayNode blocks, String text) {
    if (!text.isBlank()) {
      blocks.addObject().put("text", text);
    }
  }

  private static ArrayNode userBlocks(JsonNode content, String path) {
    if (content == null || !content.isArray()) {
      return textBlocks(content, path);
    }
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String partPath = path + ".content[" + i + "]";
      switch (part.path("type").asText("")) {
        case "text" -> addText(blocks, part.path("text").asText(""));
        case "image_url" ->
            blocks.add(image(part.path("image_url").path("url").asText(""), partPath));
        case "file" -> blocks.add(document(part.path("file"), partPath));
        default ->
            throw GatewayException.badRequest(
                "Bedrock cannot take a content part of type '"
                    + part.path("type").asText("")
                    + "'.",
                partPath);
      }
    }
    return blocks;
  }

  /** A decoded {@code data:} URL: its media type and its base64 bytes, checked. */
  private record DataUrl(String mediaType, String base64) {}

  private static DataUrl dataUrl(String url, String path, String what) {
    if (!url.startsWith("data:")) {
      throw GatewayException.badRequest(
          "Bedrock needs "
              + what
              + " inline: send it as a data: URL (base64), not as a link the gateway would fetch.",
          path);
    }
    int comma = url.indexOf(',');
    String header = comma < 0 ? "" : url.substring(5, comma);
    if (comma < 0 || !header.endsWith(";base64")) {
      throw GatewayException.badRequest("A data: URL must be base64-encoded.", path);
    }
    String base64 = url.substring(comma + 1);
    try {
      Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw GatewayException.badRequest("The data: URL is not valid base64.", path);
    }
    return new DataUrl(
        header.substring(0, header.length() - ";base64".length()).toLowerCase(Locale.ROOT), base64);
  }

  private static ObjectNode image(String url, String path) {
    DataUrl data = dataUrl(url, path, "images");
    String format = data.mediaType().startsWith("image/") ? data.mediaType().substring(6) : "";
    format = format.equals("jpg") ? "jpeg" : format;
    if (!IMAGE_FORMATS.contains(format)) {
      throw GatewayException.badRequest(
          "Bedrock takes png, jpeg, gif and webp images, not '" + data.mediaType() + "'.", path);
    }
    ObjectNode block = Json.MAPPER.createObjectNode();
    ObjectNode image = block.putObject("image");
    image.put("format", format);
    image.putObject("source").put("bytes", data.base64());
    return block;
  }

  private static ObjectNode document(JsonNode file, String path) {
    DataUrl data = dataUrl(file.path("file_data").asText(""), path, "documents");
    String format = documentFormat(data.mediaType());
    if (format == null) {
      throw GatewayException.badRequest(
          "Bedrock cannot take a document of type '" + data.mediaType() + "'.", path);
    }
    String name = file.path("filename").asText("document");
    int dot = name.lastIndexOf('.');
    // Converse allows letters, digits, spaces, hyphens, parentheses and brackets in names
    name = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9 ()\\[\\]-]", "-");
    ObjectNode block = Json.MAPPER.createObjectNode();
    ObjectNode document = block.putObject("document");
    document.put("format", format);
    document.put("name", name.isBlank() ? "document" : name);
    document.putObject("source").put("bytes", data.base64());
    return block;
  }

  private static String documentFormat(String mediaType) {
    return switch (mediaType) {
      case "application/pdf" -> "pdf";
      case "text/csv" -> "csv";
      case "application/msword" -> "doc";
      case "application/vnd.openxmlformats-officedocument.wordprocessingml.document" -> "docx";
      case "application/vnd.ms-excel" -> "xls";
      case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" -> "xlsx";
      case "text/html" -> "html";
      case "text/plain" -> "txt";
      case "text/markdown" -> "md";
      default -> DOCUMENT_FORMATS.contains(mediaType) ? mediaType : null;
    };
  }

  private static ArrayNode assistantBlocks(JsonNode message, String path) {
    ArrayNode blocks = textBlocks(message.get("content"), path);
    JsonNode calls = message.get("tool_calls");
    if (calls != null && calls.isArray()) {
      for (int i = 0; i < calls.size(); i++) {
        JsonNode call = calls.get(i);
        String callPath = path + ".tool_calls[" + i + "]";
        String arguments = call.path("function").path("arguments").asText("");
        JsonNode input =
            arguments.isBlank()
                ? Json.MAPPER.createObjectNode()
                : Json.readOrNull(arguments.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (input == null || !input.isObject()) {
          throw GatewayException.badRequest(
              "The arguments of a tool call must be a JSON object for Bedrock.",
              callPath + ".function.arguments");
        }
        ObjectNode toolUse = blocks.addObject().putObject("toolUse");
        toolUse.put("toolUseId", call.path("id").asText(""));
        toolUse.put("name", call.path("function").path("name").asText(""));
        toolUse.set("input", input);
      }
    }
    return blocks;
  }

  private static ArrayNode toolResult(JsonNode message, String path) {
    String id = message.path("tool_call_id").asText("");
    if (id.isEmpty()) {
      throw GatewayException.badRequest(
          "A tool message needs the tool_call_id it answers.", path + ".tool_call_id");
    }
    ArrayNode content = textBlocks(message.get("content"), path);
    if (content.isEmpty()) {
      content.addObject().put("text", "(empty)"); // Converse refuses an empty result
    }
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    ObjectNode result = blocks.addObject().putObject("toolResult");
    result.put("toolUseId", id);
    result.set("content", content);
    result.put("status", "success");
    return blocks;
  }

  private static ObjectNode toolConfig(ObjectNode body, boolean dropParams) {
    JsonNode tools = body.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      return null;
    }
    ObjectNode config = Json.MAPPER.createObjectNode();
    ArrayNode specs = config.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      if (!"function".equals(tool.path("type").asText("function"))) {
        throw GatewayException.badRequest(
            "Bedrock takes function tools only.", "tools[" + i + "].type");
      }
      JsonNode function = tool.path("function");
      ObjectNode spec = specs.addObject().putObject("toolSpec");
      spec.put("name", function.path("name").asText(""));
      if (function.hasNonNull("description")) {
        spec.put("description", function.get("description").asText());
      }
      JsonNode parameters = function.get("parameters");
      spec.putObject("inputSchema")
          .set(
              "json",
              parameters != null && parameters.isObject()
                  ? parameters
                  : Json.MAPPER
                      .createObjectNode()
                      .put("type", "object")
                      .set("properties", Json.MAPPER.createObjectNode()));
    }
    JsonNode choice = body.get("tool_choice");
    if (choice == null || choice.isNull()) {
      return config;
    }
    String mode = choice.isTextual() ? choice.asText() : null;
    if ("auto".equals(mode)) {
      config.putObject("toolChoice").putObject("auto");
    } else if ("required".equals(mode)) {
      config.putObject("toolChoice").putObject("any");
    } else if ("none".equals(mode)) {
      if (!dropParams) {
        throw GatewayException.badRequest(
            "Bedrock has no tool_choice \"none\": leave the tools out, or set drop_params: true"
                + " for this model to have it dropped.",
            "tool_choice");
      }
    } else if (choice.isObject() && choice.path("function").hasNonNull("name")) {
      config
          .putObject("toolChoice")
          .putObject("tool")
          .put("name", choice.path("function").path("name").asText());
    } else {
      throw GatewayException.badRequest("tool_choice is not one Bedrock knows.", "tool_choice");
    }
    return config;
  }
}
