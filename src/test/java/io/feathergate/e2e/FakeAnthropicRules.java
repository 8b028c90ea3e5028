package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The request checks of Anthropic's Messages API that a translating gateway can get wrong, with the
 * errors the real API answers (messages as recorded or documented). A fake upstream that applies
 * them fails the way Anthropic would when a translation is wrong.
 */
final class FakeAnthropicRules {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeAnthropicRules() {}

  /** Answers with Anthropic's error and returns true when the request breaks a rule. */
  static boolean reject(FakeUpstream.Received request, FakeUpstream.Reply reply)
      throws IOException {
    String problem = problem(request);
    if (problem == null) {
      return false;
    }
    boolean auth = problem.startsWith("x-api-key");
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "error");
    ObjectNode error = body.putObject("error");
    error.put("type", auth ? "authentication_error" : "invalid_request_error");
    error.put("message", problem);
    body.put("request_id", "req_fake");
    reply.json(auth ? 401 : 400, body.toString());
    return true;
  }

  static String problem(FakeUpstream.Received request) throws IOException {
    if (!request.path().endsWith("/v1/messages")) {
      return "Not found: " + request.path();
    }
    if (request.headers().get("x-api-key") == null) {
      return "x-api-key header is required";
    }
    if (request.headers().get("anthropic-version") == null) {
      return "anthropic-version: header is required";
    }
    JsonNode body = JSON.readTree(request.body());
    if (!body.path("model").isTextual()) {
      return "model: Field required";
    }
    if (!body.path("max_tokens").canConvertToLong()) {
      return "max_tokens: Field required";
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      return "messages: Field required";
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String role = message.path("role").asText();
      if (!role.equals("user") && !role.equals("assistant")) {
        return "messages: Unexpected role \""
            + role
            + "\". The Messages API accepts a top-level `system` parameter, not \""
            + role
            + "\" as an input message role.";
      }
      if (i > 0 && role.equals(messages.get(i - 1).path("role").asText())) {
        return "messages: roles must alternate between \"user\" and \"assistant\", but found"
            + " multiple \""
            + role
            + "\" roles in a row";
      }
      String blocks = blocksProblem(messages, i);
      if (blocks != null) {
        return blocks;
      }
    }
    return null;
  }

  private static String blocksProblem(JsonNode messages, int i) {
    JsonNode content = messages.get(i).path("content");
    if (content.isTextual()) {
      return content.asText().isEmpty() ? "messages." + i + ": content must be non-empty" : null;
    }
    Set<String> previousToolUses = new HashSet<>();
    if (i > 0) {
      for (JsonNode block : messages.get(i - 1).path("content")) {
        if ("tool_use".equals(block.path("type").asText())) {
          previousToolUses.add(block.path("id").asText());
        }
      }
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String where = "messages." + i + ".content." + j;
      switch (block.path("type").asText()) {
        case "text" -> {
          if (block.path("text").asText().isBlank()) {
            return where + ": text content blocks must contain non-whitespace text";
          }
        }
        case "tool_use" -> {
          if (!block.path("input").isObject()) {
            return where + ".input: Input should be a valid dictionary";
          }
        }
        case "tool_result" -> {
          String id = block.path("tool_use_id").asText();
          if (!previousToolUses.contains(id)) {
            return where
                + ": unexpected `tool_use_id` found in `tool_result` blocks: "
                + id
                + ". Each `tool_result` block must have a corresponding `tool_use` block in the"
                + " previous message.";
          }
        }
        case "image" -> {
          String type = block.path("source").path("type").asText();
          if (!type.equals("base64") && !type.equals("url")) {
            return where + ".source: Input tag '" + type + "' does not match any expected tag";
          }
        }
        default -> {
          // other blocks are not checked here
        }
      }
    }
    return null;
  }
}
