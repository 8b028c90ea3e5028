package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI sampling, length, format and reasoning parameters as Gemini's {@code
 * generationConfig}.
 */
final class GenerationConfigMapper {

  /**
   * OpenAI name and Gemini name of the parameters that only change their name, in the order they
   * are written (a list, so the upstream body is the same bytes on every run).
   */
  private static final List<Map.Entry<String, String>> RENAMED =
      List.of(
          Map.entry("temperature", "temperature"),
          Map.entry("top_p", "topP"),
          Map.entry("top_k", "topK"),
          Map.entry("n", "candidateCount"),
          Map.entry("seed", "seed"),
          Map.entry("presence_penalty", "presencePenalty"),
          Map.entry("frequency_penalty", "frequencyPenalty"));

  /** LiteLLM's budgets for {@code reasoning_effort} on models that think by budget (2.5). */
  private static final Map<String, Integer> THINKING_BUDGETS =
      Map.of("none", 0, "minimal", 128, "low", 1024, "medium", 2048, "high", 4096, "xhigh", 4096);

  /** Gemini 3 thinks by level and cannot stop thinking: "none" is its lowest level. */
  private static final Map<String, String> THINKING_LEVELS =
      Map.of(
          "none", "minimal",
          "minimal", "minimal",
          "low", "low",
          "medium", "medium",
          "high", "high",
          "xhigh", "high");

  private GenerationConfigMapper() {}

  /** The generation config, empty when the client set none of its parameters. */
  static ObjectNode map(ObjectNode clientBody, String model) {
    ObjectNode config = GeminiJson.object();
    for (Map.Entry<String, String> name : RENAMED) {
      JsonNode value = clientBody.get(name.getKey());
      if (value != null && !value.isNull()) {
        config.set(name.getValue(), value);
      }
    }
    JsonNode maxTokens = firstSet(clientBody, "max_completion_tokens", "max_tokens");
    if (maxTokens != null) {
      config.set("maxOutputTokens", maxTokens);
    }
    stop(clientBody.get("stop"), config);
    responseFormat(clientBody.get("response_format"), config, model);
    reasoningEffort(clientBody.get("reasoning_effort"), config, model);
    thinking(clientBody.get("thinking"), config);
    return config;
  }

  private static JsonNode firstSet(ObjectNode body, String... names) {
    for (String name : names) {
      JsonNode value = body.get(name);
      if (value != null && !value.isNull()) {
        return value;
      }
    }
    return null;
  }

  private static void stop(JsonNode stop, ObjectNode config) {
    if (stop == null || stop.isNull()) {
      return;
    }
    ArrayNode sequences = GeminiJson.array();
    if (stop.isTextual()) {
      sequences.add(stop.asText());
    } else if (stop.isArray()) {
      stop.forEach(s -> sequences.add(s.asText()));
    } else {
      throw GatewayException.badRequest("'stop' must be a string or a list of strings.", "stop");
    }
    if (!sequences.isEmpty()) {
      config.set("stopSequences", sequences);
    }
  }

  private static void responseFormat(JsonNode format, ObjectNode config, String model) {
    if (format == null || format.isNull()) {
      return;
    }
    String type = GeminiJson.text(format, "type");
    switch (type == null ? "" : type) {
      case "text" -> {
        // Gemini's default
      }
      case "json_object" -> config.put("responseMimeType", "application/json");
      case "json_schema" -> {
        JsonNode schema = format.path("json_schema").get("schema");
        if (schema == null || !schema.isObject()) {
          throw GatewayException.badRequest(
              "response_format.json_schema.schema must be a JSON Schema object.",
              "response_format");
        }
        config.put("responseMimeType", "application/json");
        if (GeminiModels.takesJsonSchema(model)) {
          config.set("responseJsonSchema", JsonSchemaToGemini.forJsonSchemaField(schema));
        } else {
          config.set("responseSchema", JsonSchemaToGemini.toOpenApi(schema));
        }
      }
      default ->
          throw GatewayException.badRequest(
              "response_format.type must be text, json_object or json_schema.", "response_format");
    }
  }

  /**
   * {@code reasoning_effort}: a thinking level on Gemini 3, a thinking budget before; the thoughts
   * are asked for (they come back as {@code reasoning_content}) unless the effort is "none".
   */
  private static void reasoningEffort(JsonNode effort, ObjectNode config, String model) {
    if (effort == null || effort.isNull()) {
      return;
    }
    String value = effort.asText();
    if (!THINKING_BUDGETS.containsKey(value)) {
      throw GatewayException.badRequest(
          "reasoning_effort must be one of none, minimal, low, medium, high, xhigh.",
          "reasoning_effort");
    }
    ObjectNode thinking = config.putObject("thinkingConfig");
    if (GeminiModels.usesThinkingLevel(model)) {
      thinking.put("thinkingLevel", THINKING_LEVELS.get(value));
    } else {
      thinking.put("thinkingBudget", THINKING_BUDGETS.get(value));
    }
    thinking.put("includeThoughts", !value.equals("none"));
  }

  /** LiteLLM's Anthropic-style {@code thinking: {type, budget_tokens}}, for configs that set it. */
  private static void thinking(JsonNode thinking, ObjectNode config) {
    if (thinking == null || !thinking.isObject()) {
      return;
    }
    ObjectNode thinkingConfig = config.putObject("thinkingConfig");
    if ("disabled".equals(GeminiJson.text(thinking, "type"))) {
      thinkingConfig.put("thinkingBudget", 0);
      return;
    }
    JsonNode budget = thinking.get("budget_tokens");
    if (budget != null && budget.isNumber()) {
      thinkingConfig.put("thinkingBudget", budget.asInt());
    }
    thinkingConfig.put("includeThoughts", true);
  }
}
