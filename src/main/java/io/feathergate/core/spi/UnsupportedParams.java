package io.feathergate.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LiteLLM's {@code drop_params}: an OpenAI parameter a provider cannot honour is a 400 naming it,
 * unless dropping is on for the deployment, in which case it is removed from the request. Only
 * OpenAI's own chat parameters are judged; any other key is the provider's business.
 */
public final class UnsupportedParams {
  /** The chat-completion parameters of OpenAI's API. */
  public static final Set<String> OPENAI_CHAT_PARAMS =
      Set.of(
          "model",
          "messages",
          "stream",
          "stream_options",
          "temperature",
          "top_p",
          "n",
          "stop",
          "max_tokens",
          "max_completion_tokens",
          "presence_penalty",
          "frequency_penalty",
          "logit_bias",
          "logprobs",
          "top_logprobs",
          "user",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "response_format",
          "seed",
          "service_tier",
          "reasoning_effort",
          "modalities",
          "audio",
          "prediction",
          "store",
          "metadata",
          "web_search_options",
          "functions",
          "function_call",
          "verbosity",
          "prompt_cache_key",
          "safety_identifier");

  private UnsupportedParams() {}

  /**
   * Checks {@code body} against what a provider supports, dropping or rejecting the rest.
   *
   * @param provider the provider's name, for the message
   * @param supported the OpenAI parameters the provider honours
   * @param dropParams whether to drop instead of rejecting
   * @throws GatewayException 400 naming the first unsupported parameter, when not dropping
   */
  public static void enforce(
      ObjectNode body, String provider, Set<String> supported, boolean dropParams) {
    List<String> unsupported = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (OPENAI_CHAT_PARAMS.contains(name)
          && !supported.contains(name)
          && !field.getValue().isNull()) {
        unsupported.add(name);
      }
    }
    if (unsupported.isEmpty()) {
      return;
    }
    if (dropParams) {
      body.remove(unsupported);
      return;
    }
    throw GatewayException.badRequest(
        provider
            + " does not support the parameter '"
            + unsupported.get(0)
            + "'"
            + (unsupported.size() > 1
                ? " (nor " + String.join(", ", unsupported.subList(1, unsupported.size())) + ")"
                : "")
            + ". Remove it, or set drop_params: true for this model to have it dropped.",
        unsupported.get(0));
  }
}
