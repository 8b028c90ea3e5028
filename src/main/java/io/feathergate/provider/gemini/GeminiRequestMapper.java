package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.UnsupportedParams;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's OpenAI chat request as a Gemini {@code GenerateContentRequest}. The client's body is
 * left as it came (the request may be retried); the work happens on a copy.
 */
final class GeminiRequestMapper {

  /**
   * The OpenAI parameters this route honours. {@code user}, {@code metadata}, {@code store}, {@code
   * safety_identifier} and {@code prompt_cache_key} are bookkeeping for OpenAI's own platform that
   * change nothing in an answer: accepted and left out. The rest of OpenAI's parameters ({@code
   * logprobs}, {@code logit_bias}, {@code audio}, {@code functions}, ...) are a 400, or dropped
   * under {@code drop_params}.
   */
  static final Set<String> SUPPORTED_OPENAI_PARAMS =
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
          "seed",
          "response_format",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "reasoning_effort",
          "user",
          "metadata",
          "store",
          "safety_identifier",
          "prompt_cache_key");

  /**
   * Gemini fields that LiteLLM configs set as default parameters, by their accepted spellings, in a
   * fixed order so the upstream body is the same bytes on every run.
   */
  private static final List<Map.Entry<String, String>> NATIVE_FIELDS =
      List.of(
          Map.entry("safety_settings", "safetySettings"),
          Map.entry("safetySettings", "safetySettings"),
          Map.entry("cached_content", "cachedContent"),
          Map.entry("cachedContent", "cachedContent"));

  private GeminiRequestMapper() {}

  /**
   * Builds the upstream body.
   *
   * @param model the upstream model name
   * @param dropParams whether parameters Gemini cannot honour are dropped instead of rejected
   * @throws GatewayException 400 for a request Gemini cannot serve as asked
   */
  static ObjectNode toUpstream(ChatRequest clientRequest, String model, boolean dropParams) {
    ObjectNode clientBody = clientRequest.body().deepCopy();
    removeTriviallyHonoured(clientBody);
    checkParallelToolCalls(clientBody, dropParams);
    UnsupportedParams.enforce(clientBody, "Gemini", SUPPORTED_OPENAI_PARAMS, dropParams);

    GeminiContents.Conversation conversation =
        GeminiContents.map(clientBody.get("messages"), model);
    ObjectNode upstreamBody = GeminiJson.object();
    upstreamBody.set("contents", conversation.contents());
    if (conversation.systemInstruction() != null) {
      upstreamBody.set("systemInstruction", conversation.systemInstruction());
    }
    GeminiTools.apply(clientBody, upstreamBody, model);
    ObjectNode generationConfig = GenerationConfigMapper.map(clientBody, model);
    if (!generationConfig.isEmpty()) {
      upstreamBody.set("generationConfig", generationConfig);
    }
    for (Map.Entry<String, String> field : NATIVE_FIELDS) {
      JsonNode value = clientBody.get(field.getKey());
      if (value != null && !value.isNull()) {
        upstreamBody.set(field.getValue(), value);
      }
    }
    return upstreamBody;
  }

  /** Values that ask for nothing Gemini would not do anyway are not "unsupported". */
  private static void removeTriviallyHonoured(ObjectNode body) {
    JsonNode logprobs = body.get("logprobs");
    if (logprobs != null && logprobs.isBoolean() && !logprobs.asBoolean()) {
      body.remove("logprobs");
    }
    JsonNode modalities = body.get("modalities");
    if (modalities != null && modalities.size() == 1 && "text".equals(modalities.get(0).asText())) {
      body.remove("modalities");
    }
  }

  /**
   * Gemini may always call several functions at once and has no switch to stop it: {@code
   * parallel_tool_calls: false} cannot be honoured (LiteLLM answers the same).
   */
  private static void checkParallelToolCalls(ObjectNode body, boolean dropParams) {
    JsonNode parallel = body.get("parallel_tool_calls");
    if (parallel != null && parallel.isBoolean() && !parallel.asBoolean() && !dropParams) {
      throw GatewayException.badRequest(
          "Gemini does not support the parameter 'parallel_tool_calls' set to false: it may"
              + " always call several functions at once. Remove it, or set drop_params: true for"
              + " this model to have it dropped.",
          "parallel_tool_calls");
    }
  }
}
