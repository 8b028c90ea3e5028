package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.UnsupportedParams;
import io.feathergate.wire.Json;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An OpenAI chat-completion body as an Anthropic Messages body. Builds a new body and leaves the
 * client's untouched (it is mapped again on a retry).
 */
final class AnthropicRequestMapper {
  /**
   * Anthropic requires {@code max_tokens}; OpenAI clients usually leave it out. LiteLLM's default
   * ({@code DEFAULT_ANTHROPIC_CHAT_MAX_TOKENS}).
   */
  static final long DEFAULT_MAX_TOKENS = 4096;

  /** The OpenAI parameters this provider honours. */
  static final Set<String> SUPPORTED_PARAMS =
      Set.of(
          "model",
          "messages",
          "stream",
          "stream_options",
          "temperature",
          "top_p",
          "stop",
          "max_tokens",
          "max_completion_tokens",
          "user",
          "safety_identifier",
          "metadata",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "response_format",
          "reasoning_effort");

  /**
   * Keys a LiteLLM client sends for the proxy itself, never for a provider: they are not passed on
   * with the provider-specific parameters.
   */
  static final Set<String> GATEWAY_KEYS =
      Set.of(
          "cache",
          "caching",
          "mock_response",
          "tags",
          "num_retries",
          "fallbacks",
          "context_window_fallbacks",
          "guardrails",
          "litellm_metadata",
          "litellm_session_id",
          "proxy_server_request");

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ().-]{7,}$");

  private AnthropicRequestMapper() {}

  /**
   * The OpenAI parameters this request may carry: {@link #SUPPORTED_PARAMS}, plus those Anthropic
   * cannot honour in general but that are harmless here at their default ({@code n: 1}, {@code
   * logprobs: false}, {@code store: false}).
   */
  static Set<String> supportedParams(JsonNode clientBody) {
    Set<String> supported = new HashSet<>(SUPPORTED_PARAMS);
    JsonNode n = clientBody.get("n");
    if (n != null && n.canConvertToLong() && n.asLong() == 1) {
      supported.add("n");
    }
    for (String flag : new String[] {"logprobs", "store"}) {
      JsonNode value = clientBody.get(flag);
      if (value != null && value.isBoolean() && !value.asBoolean()) {
        supported.add(flag);
      }
    }
    return supported;
  }

  /**
   * @param clientBody the client's body, already checked for unsupported parameters
   * @param dropParams whether values Anthropic would refuse are dropped rather than a 400
   */
  static ObjectNode map(
      JsonNode clientBody, String upstreamModel, boolean stream, boolean dropParams) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", upstreamModel);
    JsonNode thinking = Thinking.from(clientBody);
    out.put("max_tokens", maxTokens(clientBody, thinking));
    AnthropicMessages.Conversation conversation = AnthropicMessages.map(clientBody.get("messages"));
    if (conversation.system() != null) {
      out.set("system", conversation.system());
    }
    out.set("messages", conversation.messages());
    addTools(clientBody, thinking, out);
    ArrayNode stopSequences = stopSequences(clientBody.get("stop"), dropParams);
    if (!stopSequences.isEmpty()) {
      out.set("stop_sequences", stopSequences);
    }
    copyIfSet(clientBody, "temperature", out);
    copyIfSet(clientBody, "top_p", out);
    copyIfSet(clientBody, "top_k", out);
    String userId = userId(clientBody);
    if (userId != null) {
      out.putObject("metadata").put("user_id", userId);
    }
    if (thinking != null) {
      out.set("thinking", thinking);
    }
    if (stream) {
      out.put("stream", true);
    }
    passProviderParams(clientBody, out);
    return out;
  }

  /**
   * {@code max_completion_tokens} (OpenAI's current name) wins over {@code max_tokens}. Without
   * either: the default, plus the thinking budget when thinking is on, since Anthropic counts the
   * thinking inside {@code max_tokens} and wants the budget below it.
   */
  private static long maxTokens(JsonNode clientBody, JsonNode thinking) {
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode value = clientBody.get(field);
      if (value != null && !value.isNull()) {
        return value.asLong();
      }
    }
    return DEFAULT_MAX_TOKENS + (Thinking.enabled(thinking) ? Thinking.budget(thinking) : 0);
  }

  private static void addTools(JsonNode clientBody, JsonNode thinking, ObjectNode out) {
    ArrayNode tools = AnthropicTools.tools(clientBody.get("tools"));
    ObjectNode toolChoice =
        AnthropicTools.toolChoice(
            clientBody.get("tool_choice"), clientBody.get("parallel_tool_calls"));
    ObjectNode jsonTool = JsonMode.tool(clientBody.get("response_format"));
    if (jsonTool != null) {
      tools.add(jsonTool);
      // with thinking on Anthropic refuses a forced tool; the model is then only offered it
      if (!Thinking.enabled(thinking)) {
        toolChoice = JsonMode.forcedChoice();
      }
    }
    // a tool_choice without tools is refused upstream; without tools there is nothing to choose
    if (!tools.isEmpty()) {
      out.set("tools", tools);
      if (toolChoice != null) {
        out.set("tool_choice", toolChoice);
      }
    }
  }

  /**
   * {@code stop} as a list. Anthropic refuses whitespace-only stop sequences: like LiteLLM, those
   * are a 400 unless {@code drop_params}, which leaves them out.
   */
  static ArrayNode stopSequences(JsonNode stop, boolean dropParams) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    if (stop == null || stop.isNull()) {
      return out;
    }
    Iterable<JsonNode> values = stop.isArray() ? stop : java.util.List.of(stop);
    for (JsonNode value : values) {
      String text = value.asText();
      if (text.isBlank()) {
        if (dropParams) {
          continue;
        }
        throw GatewayException.badRequest(
            "Anthropic does not accept whitespace-only stop sequences. Remove them, or set"
                + " drop_params: true for this model to have them dropped.",
            "stop");
      }
      out.add(text);
    }
    return out;
  }

  /**
   * {@code metadata.user_id} from {@code user}, else {@code safety_identifier} (OpenAI's newer
   * name), else LiteLLM's {@code metadata.user_id}. Values that look like an e-mail address or a
   * phone number are left out, as LiteLLM does: Anthropic refuses identifying information there.
   */
  static String userId(JsonNode clientBody) {
    JsonNode[] candidates = {
      clientBody.get("user"),
      clientBody.get("safety_identifier"),
      clientBody.path("metadata").get("user_id")
    };
    for (JsonNode candidate : candidates) {
      if (candidate != null && candidate.isTextual()) {
        String value = candidate.asText().strip();
        if (!value.isEmpty() && !EMAIL.matcher(value).matches() && !looksLikePhone(value)) {
          return value;
        }
      }
    }
    return null;
  }

  private static boolean looksLikePhone(String value) {
    return PHONE.matcher(value).matches() && value.chars().filter(Character::isDigit).count() >= 7;
  }

  private static void copyIfSet(JsonNode clientBody, String field, ObjectNode out) {
    JsonNode value = clientBody.get(field);
    if (value != null && !value.isNull()) {
      out.set(field, value);
    }
  }

  /**
   * Keys that are neither OpenAI parameters nor the proxy's own are Anthropic parameters the client
   * (or the deployment's {@code litellm_params}) set on purpose, as LiteLLM passes them: {@code
   * thinking}, {@code top_k}, {@code output_config}, {@code container}, ... What this mapping set
   * itself wins.
   */
  private static void passProviderParams(JsonNode clientBody, ObjectNode out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = clientBody.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (!UnsupportedParams.OPENAI_CHAT_PARAMS.contains(name)
          && !GATEWAY_KEYS.contains(name)
          && !out.has(name)
          && !field.getValue().isNull()) {
        out.set(name, field.getValue());
      }
    }
  }
}
