package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.exchange.ClientRequestReader;
import io.feathergate.core.responses.ResponseStore;
import io.feathergate.core.responses.StoredResponse;
import io.feathergate.core.routing.Router;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.wire.Json;
import java.util.Set;

/**
 * Reads a request to OpenAI's Responses API ({@code POST /v1/responses}): checks what OpenAI
 * requires, in OpenAI's words, and continues the conversation of a {@code previous_response_id}
 * from the gateway's store. The request then travels twice: as the client's own body (with the
 * stored conversation written into {@code input}) for OpenAI and Azure, and translated into a chat
 * request for every other provider. What chat cannot carry (built-in tools, files by id, background
 * mode) makes the request untranslatable: such providers refuse it with a 400, never drop it.
 */
final class ResponsesRequestReader implements ClientRequestReader {
  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");

  private final ResponseStore store;
  private final String owner;
  private final ResponsesTurn turn;

  ResponsesRequestReader(ResponseStore store, String owner, ResponsesTurn turn) {
    this.store = store;
    this.owner = owner;
    this.turn = turn;
  }

  @Override
  public ChatRequest read(byte[] clientBody) {
    ObjectNode body = ChatRequests.readObject(clientBody);
    String model = BeyondChatReaders.model(body);
    ArrayNode input = input(body.get("input"));
    boolean stream = BeyondChatReaders.flag(body, "stream");
    Translation translation = new Translation();
    ArrayNode history = Json.MAPPER.createArrayNode();
    JsonNode previous = body.get("previous_response_id");
    if (previous != null && !previous.isNull()) {
      if (!previous.isTextual() || previous.asText().isBlank()) {
        throw GatewayException.badRequest(
            "Invalid 'previous_response_id': expected a non-empty string.", "previous_response_id");
      }
      StoredResponse stored = store.get(previous.asText());
      if (stored != null && stored.readableBy(owner)) {
        history = (ArrayNode) Json.readOrNull(stored.conversation());
      } else {
        // OpenAI may know a response the gateway does not: only a bridged request needs it here
        translation.cannot(
            "Previous response with id '"
                + previous.asText()
                + "' is not in the gateway's store, and the conversation it continues");
      }
    }
    turn.read(body, input, history);
    ObjectNode chat = translation.chatBody(body, model, stream, history, input);
    ChatRequest chatRequest = ChatRequests.check(chat);
    return chatRequest.withNativeRequest(
        new NativeRequest(
            NativeApi.OPENAI_RESPONSES,
            NativeRequest.Operation.CREATE,
            history.isEmpty() ? body : continued(body, history, input),
            translation.untranslatable));
  }

  /**
   * The client's body with the stored conversation before its input, instead of {@code
   * previous_response_id}: any OpenAI deployment can then continue it, whichever answered before.
   * Item ids are left out (an upstream knows only its own), and so are reasoning items without
   * their encrypted content, which are references to another upstream's store.
   */
  private static ObjectNode continued(ObjectNode body, ArrayNode history, ArrayNode input) {
    ObjectNode copy = body.deepCopy();
    copy.remove("previous_response_id");
    ArrayNode items = copy.putArray("input");
    for (JsonNode item : history) {
      if (item.path("type").asText("").equals("reasoning")
          && !item.hasNonNull("encrypted_content")) {
        continue;
      }
      ObjectNode sent = ((ObjectNode) item).deepCopy();
      sent.remove("id");
      sent.remove("status");
      items.add(sent);
    }
    items.addAll(input);
    return copy;
  }

  /** The input as items: a string is one user message. */
  private static ArrayNode input(JsonNode input) {
    if (input == null || input.isNull()) {
      throw GatewayException.badRequest("Missing required parameter: 'input'.", "input");
    }
    ArrayNode items = Json.MAPPER.createArrayNode();
    if (input.isTextual()) {
      items.addObject().put("type", "message").put("role", "user").put("content", input.asText());
      return items;
    }
    if (!input.isArray() || input.isEmpty()) {
      throw GatewayException.badRequest(
          "Invalid 'input': expected a string or a non-empty array of input items.", "input");
    }
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String where = "input[" + i + "]";
      if (!item.isObject()) {
        throw GatewayException.badRequest("Invalid '" + where + "': expected an object.", where);
      }
      String type = item.path("type").asText("message");
      switch (type) {
        case "message" -> {
          JsonNode role = item.get("role");
          if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
            throw GatewayException.badRequest(
                "Invalid '"
                    + where
                    + ".role': expected one of 'user', 'assistant', 'system' or 'developer'.",
                where + ".role");
          }
          JsonNode content = item.get("content");
          if (content == null || !(content.isTextual() || content.isArray())) {
            throw GatewayException.badRequest(
                "Invalid '" + where + ".content': expected a string or an array of content parts.",
                where + ".content");
          }
        }
        case "function_call" -> {
          required(item, where, "call_id");
          required(item, where, "name");
          required(item, where, "arguments");
        }
        case "function_call_output" -> {
          required(item, where, "call_id");
          if (!item.hasNonNull("output")) {
            throw GatewayException.badRequest(
                "Missing required parameter: '" + where + ".output'.", where + ".output");
          }
        }
        default -> {
          // the other item types are checked by the provider that takes them
        }
      }
      ObjectNode normalised = ((ObjectNode) item).deepCopy();
      if (!normalised.has("type")) {
        normalised.put("type", "message");
      }
      items.add(normalised);
    }
    return items;
  }

  private static void required(JsonNode item, String where, String field) {
    JsonNode value = item.get(field);
    if (value == null || !value.isTextual()) {
      throw GatewayException.badRequest(
          "Missing required parameter: '" + where + "." + field + "' (a string).",
          where + "." + field);
    }
  }

  /** One translation into chat; remembers the first thing chat cannot carry. */
  private static final class Translation {
    private String untranslatable;

    void cannot(String what) {
      if (untranslatable == null) {
        untranslatable = what + " exists only in OpenAI's Responses API.";
      }
    }

    ObjectNode chatBody(
        ObjectNode body, String model, boolean stream, ArrayNode history, ArrayNode input) {
      ObjectNode chat = Json.MAPPER.createObjectNode();
      chat.put("model", model);
      ArrayNode messages = chat.putArray("messages");
      JsonNode instructions = body.get("instructions");
      if (instructions != null && instructions.isTextual() && !instructions.asText().isEmpty()) {
        messages.addObject().put("role", "system").put("content", instructions.asText());
      } else if (instructions != null && instructions.isArray()) {
        items(instructions, messages);
      }
      items(history, messages);
      items(input, messages);
      if (messages.isEmpty()) {
        // nothing chat can carry: the request goes only to a provider of the Responses API
        cannot("An input of only such items");
        messages.addObject().put("role", "user").put("content", "");
      }
      for (String field : Router.REQUEST_FIELDS) {
        JsonFields.copy(body, field, chat, field);
      }
      JsonFields.copy(body, "max_output_tokens", chat, "max_tokens");
      JsonFields.copy(body, "temperature", chat, "temperature");
      JsonFields.copy(body, "top_p", chat, "top_p");
      JsonFields.copy(body, "parallel_tool_calls", chat, "parallel_tool_calls");
      JsonFields.copy(body, "user", chat, "user");
      if (!chat.has("user")) {
        JsonFields.copy(body, "safety_identifier", chat, "user");
      }
      if (stream) {
        chat.put("stream", true);
        // the final response.completed event carries the usage
        chat.putObject("stream_options").put("include_usage", true);
      }
      tools(body.get("tools"), chat);
      toolChoice(body.get("tool_choice"), chat);
      JsonNode effort = body.path("reasoning").get("effort");
      if (effort != null && effort.isTextual()) {
        chat.put("reasoning_effort", effort.asText());
      }
      format(body.path("text").get("format"), chat);
      if (body.path("background").asBoolean(false)) {
        cannot("Background mode ('background': true)");
      }
      for (String field : new String[] {"conversation", "prompt"}) {
        if (body.hasNonNull(field)) {
          cannot("'" + field + "'");
        }
      }
      return chat;
    }

    /** Items as chat messages: consecutive function calls become one assistant turn. */
    private void items(JsonNode items, ArrayNode messages) {
      for (JsonNode item : items) {
        if (!item.isObject()) {
          continue;
        }
        String type = item.path("type").asText("message");
        switch (type) {
          case "message" -> message(item, messages);
          case "function_call" -> {
            ObjectNode call = Json.MAPPER.createObjectNode();
            call.put("id", item.path("call_id").asText());
            call.put("type", "function");
            call.putObject("function")
                .put("name", item.path("name").asText())
                .put("arguments", item.path("arguments").asText());
            ObjectNode last =
                messages.isEmpty() ? null : (ObjectNode) messages.get(messages.size() - 1);
            if (last == null || !last.path("role").asText().equals("assistant")) {
              last = messages.addObject().put("role", "assistant");
              last.putNull("content");
            }
            ArrayNode calls =
                last.get("tool_calls") instanceof ArrayNode existing
                    ? existing
                    : last.putArray("tool_calls");
            calls.add(call);
          }
          case "function_call_output" -> {
            JsonNode output = item.get("output");
            messages
                .addObject()
                .put("role", "tool")
                .put("tool_call_id", item.path("call_id").asText())
                .put("content", output.isTextual() ? output.asText() : text(output, "output"));
          }
          case "reasoning" -> {
            // a model's own reasoning, which chat providers do not take back
          }
          default -> cannot("Input item type '" + type + "'");
        }
      }
    }

    private void message(JsonNode item, ArrayNode messages) {
      String role = item.path("role").asText();
      if (role.equals("developer")) {
        role = "system";
      }
      JsonNode content = item.get("content");
      ObjectNode message = Json.MAPPER.createObjectNode().put("role", role);
      if (content.isTextual()) {
        message.put("content", content.asText());
      } else if (role.equals("user")) {
        message.set("content", userParts(content));
      } else {
        message.put("content", text(content, role + " content"));
      }
      messages.add(message);
    }

    /** A user's parts in chat's form: text and images by URL. */
    private ArrayNode userParts(JsonNode parts) {
      ArrayNode chatParts = Json.MAPPER.createArrayNode();
      for (JsonNode part : parts) {
        String type = part.path("type").asText("");
        switch (type) {
          case "input_text", "output_text", "text" ->
              chatParts.addObject().put("type", "text").put("text", part.path("text").asText());
          case "input_image" -> {
            JsonNode url = part.get("image_url");
            if (url == null || !url.isTextual()) {
              cannot("An input_image given by file_id");
            } else {
              ObjectNode image =
                  chatParts.addObject().put("type", "image_url").putObject("image_url");
              image.put("url", url.asText());
              if (part.hasNonNull("detail")) {
                image.put("detail", part.path("detail").asText());
              }
            }
          }
          default -> cannot("Content part type '" + type + "'");
        }
      }
      return chatParts;
    }

    /** The text of parts that can only be text (an assistant's, a tool's output). */
    private String text(JsonNode parts, String what) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : parts) {
        String type = part.path("type").asText("");
        switch (type) {
          case "input_text", "output_text", "text" -> text.append(part.path("text").asText());
          case "refusal" -> text.append(part.path("refusal").asText());
          default -> cannot("A '" + type + "' part in " + what);
        }
      }
      return text.toString();
    }

    /** Function tools, flat in the Responses API, nested in chat's. */
    private void tools(JsonNode tools, ObjectNode chat) {
      if (tools == null || tools.isNull()) {
        return;
      }
      if (!tools.isArray()) {
        throw GatewayException.badRequest("Invalid 'tools': expected an array.", "tools");
      }
      ArrayNode chatTools = Json.MAPPER.createArrayNode();
      for (int i = 0; i < tools.size(); i++) {
        JsonNode tool = tools.get(i);
        String type = tool.path("type").asText("");
        if (!type.equals("function")) {
          cannot("Tool type '" + type + "'");
          continue;
        }
        JsonNode name = tool.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
          throw GatewayException.badRequest(
              "Missing required parameter: 'tools[" + i + "].name'.", "tools[" + i + "].name");
        }
        ObjectNode function = chatTools.addObject().put("type", "function").putObject("function");
        function.put("name", name.asText());
        for (String field : new String[] {"description", "parameters", "strict"}) {
          JsonFields.copy((ObjectNode) tool, field, function, field);
        }
      }
      if (!chatTools.isEmpty()) {
        chat.set("tools", chatTools);
      }
    }

    private void toolChoice(JsonNode choice, ObjectNode chat) {
      if (choice == null || choice.isNull()) {
        return;
      }
      if (choice.isTextual()) {
        chat.put("tool_choice", choice.asText());
      } else if (choice.path("type").asText("").equals("function") && choice.has("name")) {
        chat.putObject("tool_choice")
            .put("type", "function")
            .putObject("function")
            .put("name", choice.path("name").asText());
      } else {
        cannot("A tool_choice of type '" + choice.path("type").asText("") + "'");
      }
    }

    /** {@code text.format} as chat's {@code response_format}. */
    private static void format(JsonNode format, ObjectNode chat) {
      if (format == null || !format.isObject()) {
        return;
      }
      switch (format.path("type").asText("")) {
        case "json_object" -> chat.putObject("response_format").put("type", "json_object");
        case "json_schema" -> {
          ObjectNode schema =
              chat.putObject("response_format").put("type", "json_schema").putObject("json_schema");
          for (String field : new String[] {"name", "description", "schema", "strict"}) {
            JsonFields.copy((ObjectNode) format, field, schema, field);
          }
        }
        default -> {
          // plain text is chat's default
        }
      }
    }
  }
}
