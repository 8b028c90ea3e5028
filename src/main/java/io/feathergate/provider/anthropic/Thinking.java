package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;

/**
 * Extended thinking: Anthropic's own {@code thinking} object when the client sends one, else
 * OpenAI's {@code reasoning_effort} turned into a thinking budget (LiteLLM's budgets).
 */
final class Thinking {
  static final int LOW_BUDGET = 1024;
  static final int MEDIUM_BUDGET = 2048;
  static final int HIGH_BUDGET = 4096;

  private Thinking() {}

  /** The {@code thinking} object to send, or null for none. */
  static JsonNode from(JsonNode clientBody) {
    JsonNode thinking = clientBody.get("thinking");
    if (thinking != null && !thinking.isNull()) {
      return thinking;
    }
    JsonNode effort = clientBody.get("reasoning_effort");
    if (effort == null || effort.isNull()) {
      return null;
    }
    int budget =
        switch (effort.asText()) {
          case "none" -> 0;
          // Anthropic's smallest budget is 1024; LiteLLM's 128 for minimal would be refused
          case "minimal", "low" -> LOW_BUDGET;
          case "medium" -> MEDIUM_BUDGET;
          case "high" -> HIGH_BUDGET;
          default ->
              throw GatewayException.badRequest(
                  "Invalid 'reasoning_effort': expected none, minimal, low, medium or high, got '"
                      + effort.asText()
                      + "'.",
                  "reasoning_effort");
        };
    if (budget == 0) {
      return null;
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("type", "enabled");
    out.put("budget_tokens", budget);
    return out;
  }

  /** Whether thinking is on: Anthropic then refuses a forced {@code tool_choice}. */
  static boolean enabled(JsonNode thinking) {
    String type = thinking == null ? "" : thinking.path("type").asText("");
    return type.equals("enabled") || type.equals("adaptive");
  }

  /** The thinking budget, 0 when none is set. */
  static long budget(JsonNode thinking) {
    return thinking == null ? 0 : thinking.path("budget_tokens").asLong(0);
  }
}
