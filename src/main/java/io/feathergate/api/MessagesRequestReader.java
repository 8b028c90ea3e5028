package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.exchange.ClientRequestReader;
import io.feathergate.core.routing.Router;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.wire.Json;
import java.util.List;

/**
 * Reads a Messages request: checks what Anthropic requires, keeps the body as sent (for deployments
 * on Anthropic's API) and translates it into a chat-completions body for every other provider.
 *
 * <p>What the chat schema cannot carry is not dropped silently: server tools, MCP servers,
 * containers, files by id and the other Anthropic-only blocks make the request untranslatable, so a
 * group on another provider refuses it with a 400 naming the block. Thinking blocks of earlier
 * turns and {@code cache_control} marks are left out of the translation: they only mean something
 * to Anthropic's models, which take the body untranslated.
 */
final class MessagesRequestReader implements ClientRequestReader {
  /** Top-level fields that change what Anthropic does and that no chat request can say. */
  private static final List<String> ANTHROPIC_ONLY =
      List.of("mcp_servers", "container", "context_management");

  private final NativeRequest.Operation operation;
  private final ToolNames toolNames;

  MessagesRequestReader(NativeRequest.Operation operation, ToolNames toolNames) {
    this.operation = operation;
    this.toolNames = toolNames;
  }

  @Override
  public ChatRequest read(byte[] clientBody) {
    ObjectNode body = ChatRequests.readObject(clientBody);
    String model = requiredText(body, "model");
    if (operation == NativeRequest.Operation.CREATE) {
      JsonNode maxTokens = body.get("max_tokens");
      if (maxTokens == null || maxTokens.isNull()) {
        throw invalid("max_tokens: Field required", "max_tokens");
      }
      if (!maxTokens.canConvertToLong() || maxTokens.asLong() < 1) {
        throw invalid("max_tokens: Input should be a positive integer", "max_tokens");
      }
    }
    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw invalid("messages: Field required", "messages");
    }
    if (!messages.isArray()) {
      throw invalid("messages: Input should be a valid list", "messages");
    }
    if (messages.isEmpty()) {
      throw invalid("messages: at least one message is required", "messages");
    }
    boolean stream = operation == NativeRequest.Operation.CREATE && flag(body, "stream");
    Translation translation = new Translation(toolNames);
    ObjectNode chat = translation.chatBody(body, model, stream);
    ChatRequest chatRequest = ChatRequests.check(chat);
    return chatRequest.withNativeRequest(
        new NativeRequest(
            NativeApi.ANTHROPIC_MESSAGES, operation, body, translation.untranslatable));
  }

  private static String requiredText(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw invalid(field + ": Field required", field);
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw invalid(field + ": Input should be a non-empty string", field);
    }
    return value.asText();
  }

  private static boolean flag(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalid(field + ": Input should be a valid boolean", field);
    }
    return value.asBoolean();
  }

  static GatewayException invalid(String message, String param) {
    return GatewayException.badRequest(message, param);
  }

  /** One translation; remembers the first thing it could not translate. */
  private static final class Translation {
    private final ToolNames toolNames;
    private String untranslatable;

    Translation(ToolNames toolNames) {
      this.toolNames = toolNames;
    }

    private void cannot(String what) {
      if (untranslatable == null) {
        untranslatable = what + " exists only in Anthropic's API.";
      }
    }

    ObjectNode chatBody(ObjectNode body, String model, boolean stream) {
      ObjectNode chat = Json.MAPPER.createObjectNode();
      chat.put("model", model);
      ArrayNode messages = chat.putArray("messages");
      system(body.get("system"), messages);
      JsonNode turns = body.get("messages");
      for (int i = 0; i < turns.size(); i++) {
        turn(turns.get(i), "messages." + i, messages);
      }
      for (String field : Router.REQUEST_FIELDS) {
        // LiteLLM's per-request fallbacks and retries work in any API
        JsonFields.copy(body, field, chat, field);
      }
      JsonFields.copy(body, "max_tokens", chat, "max_tokens");
      JsonFields.copy(body, "temperature", chat, "temperature");
      JsonFields.copy(body, "top_p", chat, "top_p");
      JsonFields.copy(body, "top_k", chat, "top_k");
      JsonFields.copy(body, "stop_sequences", chat, "stop");
      JsonNode user = body.path("metadata").get("user_id");
      if (user != null && user.isTextual()) {
        chat.put("user", user.asText());
      }
      if (stream) {
        chat.put("stream", true);
        // the usage chunk carries the cache counts that Anthropic's usage reports
        chat.putObject("stream_options").put("include_usage", true);
      }
      tools(body.get("tools"), chat);
      toolChoice(body.get("tool_choice"), chat);
      thinking(body.get("thinking"), chat);
      outputFormat(body, chat);
      for (String field : ANTHROPIC_ONLY) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull()) {
          cannot("'" + field + "'");
        }
      }
      return chat;
    }

    private void system(JsonNode system, ArrayNode messages) {
      if (system == null || system.isNull()) {
        return;
      }
      if (system.isTextual()) {
        messages.addObject().put("role", "system").put("content", system.asText());
        return;
      }
      if (!system.isArray()) {
        throw invalid("system: Input should be a valid string or list of text blocks", "system");
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode block : system) {
        if (!"text".equals(block.path("type").asText())) {
          throw invalid("system: Input should be a list of text blocks", "system");
        }
        if (text.length() > 0) {
          text.append("\n\n");
        }
        text.append(block.path("text").asText());
      }
      messages.addObject().put("role", "system").put("content", text.toString());
    }

    private void turn(JsonNode turn, String path, ArrayNode messages) {
      if (!turn.isObject()) {
        throw invalid(path + ": Input should be a valid dictionary", path);
      }
      String role = turn.path("role").asText();
      JsonNode content = turn.get("content");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw invalid(path + ".role: Input should be 'user' or 'assistant'", path + ".role");
      }
      if (content == null || (!content.isTextual() && !content.isArray())) {
        throw invalid(path + ".content: Input should be a valid string or list", path + ".content");
      }
      if (content.isTextual()) {
        messages.addObject().put("role", role).put("content", content.asText());
      } else if (role.equals("user")) {
        userTurn(content, path, messages);
      } else {
        assistantTurn(content, path, messages);
      }
    }

    /**
     * A user turn: its tool results become {@code tool} messages, which must follow the assistant
     * turn that called them, and the rest one user message after them.
     */
    private void userTurn(JsonNode blocks, String path, ArrayNode messages) {
      ArrayNode parts = Json.MAPPER.createArrayNode();
      for (int j = 0; j < blocks.size(); j++) {
        JsonNode block = blocks.get(j);
        String where = path + ".content." + j;
        String type = block.path("type").asText();
        if (type.equals("tool_result")) {
          toolResult(block, where, messages, parts);
        } else {
          part(block, where, parts);
        }
      }
      if (!parts.isEmpty()) {
        ObjectNode user = messages.addObject().put("role", "user");
        if (parts.size() == 1 && parts.get(0).path("type").asText().equals("text")) {
          user.put("content", parts.get(0).path("text").asText());
        } else {
          user.set("content", parts);
        }
      }
    }

    private void toolResult(JsonNode block, String where, ArrayNode messages, ArrayNode parts) {
      String id = block.path("tool_use_id").asText(null);
      if (id == null) {
        throw invalid(where + ".tool_use_id: Field required", where + ".tool_use_id");
      }
      JsonNode content = block.get("content");
      StringBuilder text = new StringBuilder();
      if (content != null && content.isTextual()) {
        text.append(content.asText());
      } else if (content != null && content.isArray()) {
        for (int k = 0; k < content.size(); k++) {
          JsonNode item = content.get(k);
          if (item.path("type").asText().equals("text")) {
            if (text.length() > 0) {
              text.append('\n');
            }
            text.append(item.path("text").asText());
          } else {
            // a picture a tool returned goes to the model in the user turn after the results
            part(item, where + ".content." + k, parts);
          }
        }
      }
      ObjectNode tool = messages.addObject().put("role", "tool").put("tool_call_id", id);
      tool.put("content", text.toString());
    }

    /** One content block of a user turn as a chat content part. */
    private void part(JsonNode block, String where, ArrayNode parts) {
      String type = block.path("type").asText();
      JsonNode source = block.path("source");
      String sourceType = source.path("type").asText();
      switch (type) {
        case "text" ->
            parts.addObject().put("type", "text").put("text", block.path("text").asText());
        case "image" -> {
          if (sourceType.equals("base64")) {
            parts
                .addObject()
                .put("type", "image_url")
                .putObject("image_url")
                .put("url", dataUrl(source));
          } else if (sourceType.equals("url")) {
            parts
                .addObject()
                .put("type", "image_url")
                .putObject("image_url")
                .put("url", source.path("url").asText());
          } else {
            cannot(where + ": an image of source type '" + sourceType + "'");
          }
        }
        case "document" -> {
          if (sourceType.equals("base64")) {
            ObjectNode file = parts.addObject().put("type", "file").putObject("file");
            file.put("file_data", dataUrl(source));
            if (block.path("title").isTextual()) {
              file.put("filename", block.path("title").asText());
            }
          } else if (sourceType.equals("text")) {
            parts.addObject().put("type", "text").put("text", source.path("data").asText());
          } else {
            cannot(where + ": a document of source type '" + sourceType + "'");
          }
        }
        default -> cannot(where + ": a content block of type '" + type + "'");
      }
    }

    private static String dataUrl(JsonNode source) {
      return "data:"
          + source.path("media_type").asText()
          + ";base64,"
          + source.path("data").asText();
    }

    private void assistantTurn(JsonNode blocks, String path, ArrayNode messages) {
      StringBuilder text = new StringBuilder();
      ArrayNode calls = Json.MAPPER.createArrayNode();
      for (int j = 0; j < blocks.size(); j++) {
        JsonNode block = blocks.get(j);
        String type = block.path("type").asText();
        switch (type) {
          case "text" -> text.append(block.path("text").asText());
          case "tool_use" -> {
            ObjectNode call = calls.addObject();
            call.put("id", block.path("id").asText());
            call.put("type", "function");
            ObjectNode function = call.putObject("function");
            function.put("name", toolNames.shortened(block.path("name").asText()));
            JsonNode input = block.get("input");
            function.put("arguments", input == null ? "{}" : input.toString());
          }
          case "thinking", "redacted_thinking" -> {
            // an earlier turn's reasoning, signed for Anthropic's models only
          }
          default -> cannot(path + ".content." + j + ": a content block of type '" + type + "'");
        }
      }
      ObjectNode assistant = messages.addObject().put("role", "assistant");
      if (text.length() > 0 || calls.isEmpty()) {
        assistant.put("content", text.toString());
      } else {
        assistant.putNull("content");
      }
      if (!calls.isEmpty()) {
        assistant.set("tool_calls", calls);
      }
    }

    private void tools(JsonNode tools, ObjectNode chat) {
      if (tools == null || tools.isNull()) {
        return;
      }
      if (!tools.isArray()) {
        throw invalid("tools: Input should be a valid list", "tools");
      }
      ArrayNode functions = Json.MAPPER.createArrayNode();
      for (int i = 0; i < tools.size(); i++) {
        JsonNode tool = tools.get(i);
        String type = tool.path("type").asText("custom");
        if (!type.equals("custom")) {
          cannot("tools." + i + ": the tool type '" + type + "'");
          continue;
        }
        if (!tool.path("name").isTextual()) {
          throw invalid("tools." + i + ".name: Field required", "tools." + i + ".name");
        }
        ObjectNode function = functions.addObject().put("type", "function").putObject("function");
        function.put("name", toolNames.shortened(tool.path("name").asText()));
        if (tool.path("description").isTextual()) {
          function.put("description", tool.path("description").asText());
        }
        JsonNode schema = tool.get("input_schema");
        function.set(
            "parameters",
            schema != null && schema.isObject()
                ? schema
                : Json.MAPPER.createObjectNode().put("type", "object"));
      }
      if (!functions.isEmpty()) {
        chat.set("tools", functions);
      }
    }

    private void toolChoice(JsonNode choice, ObjectNode chat) {
      if (choice == null || choice.isNull()) {
        return;
      }
      switch (choice.path("type").asText()) {
        case "auto" -> chat.put("tool_choice", "auto");
        case "any" -> chat.put("tool_choice", "required");
        case "none" -> chat.put("tool_choice", "none");
        case "tool" ->
            chat.putObject("tool_choice")
                .put("type", "function")
                .putObject("function")
                .put("name", toolNames.shortened(choice.path("name").asText()));
        default ->
            throw invalid(
                "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'", "tool_choice");
      }
      if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
        chat.put("parallel_tool_calls", false);
      }
    }

    /**
     * Extended thinking as OpenAI's {@code reasoning_effort}, LiteLLM's budgets read backwards:
     * under 2,048 tokens low, under 4,096 medium, more high; adaptive thinking is medium.
     */
    private static void thinking(JsonNode thinking, ObjectNode chat) {
      String type = thinking == null ? "" : thinking.path("type").asText();
      if (type.equals("adaptive")) {
        chat.put("reasoning_effort", "medium");
      } else if (type.equals("enabled")) {
        long budget = thinking.path("budget_tokens").asLong(0);
        chat.put("reasoning_effort", budget < 2048 ? "low" : budget < 4096 ? "medium" : "high");
      }
    }

    /** Structured output ({@code output_format}, or {@code output_config.format}) as a schema. */
    private static void outputFormat(ObjectNode body, ObjectNode chat) {
      JsonNode format = body.get("output_format");
      if (format == null || format.isNull()) {
        format = body.path("output_config").get("format");
      }
      if (format != null && "json_schema".equals(format.path("type").asText())) {
        ObjectNode schema = chat.putObject("response_format").put("type", "json_schema");
        schema.putObject("json_schema").put("name", "output").set("schema", format.get("schema"));
      }
      JsonNode effort = body.path("output_config").get("effort");
      if (effort != null && effort.isTextual() && !chat.has("reasoning_effort")) {
        chat.put("reasoning_effort", effort.asText());
      }
    }
  }
}
