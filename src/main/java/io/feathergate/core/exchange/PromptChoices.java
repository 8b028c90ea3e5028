package io.feathergate.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A legacy completion of several prompts for a chat-only provider: OpenAI answers one choice per
 * prompt, so each prompt becomes a chat call of its own (sent at once), and their answers one
 * completion whose choices are in prompt order, indexed across the calls, with the usage summed.
 */
final class PromptChoices {
  private PromptChoices() {}

  /** The chat request of each prompt, or null when the request is not several prompts. */
  static List<ChatRequest> split(ChatRequest request) {
    NativeRequest clientNative = request.nativeRequest();
    if (clientNative == null || clientNative.api() != NativeApi.OPENAI_COMPLETIONS) {
      return null;
    }
    JsonNode prompts = clientNative.body().get("prompt");
    if (prompts == null || !prompts.isArray() || prompts.size() < 2) {
      return null;
    }
    List<ChatRequest> parts = new ArrayList<>(prompts.size());
    for (JsonNode prompt : prompts) {
      ObjectNode body = request.body().deepCopy();
      body.putArray("messages").addObject().put("role", "user").put("content", prompt.asText());
      parts.add(request.withBody(body));
    }
    return parts;
  }

  /**
   * The answers of the calls, a JSON array in prompt order, as one chat completion.
   *
   * @param translate one call's answer in the chat schema (the adapter's translation)
   */
  static ChatCompletion merge(byte[] answers, Function<byte[], ChatCompletion> translate) {
    JsonNode all = Json.readOrNull(answers);
    if (all == null || !all.isArray()) {
      throw GatewayException.upstreamProtocol("the answers of the prompts are not JSON");
    }
    ObjectNode merged = null;
    ArrayNode choices = null;
    long prompt = 0;
    long completion = 0;
    for (JsonNode answer : all) {
      ChatCompletion part = translate.apply(Json.bytes(answer));
      JsonNode chat = Json.readOrNull(part.json());
      if (chat == null) {
        throw GatewayException.upstreamProtocol("a prompt's answer is not JSON");
      }
      if (merged == null) {
        merged = ((ObjectNode) chat).deepCopy();
        choices = merged.putArray("choices");
      }
      for (JsonNode choice : chat.path("choices")) {
        ObjectNode indexed = ((ObjectNode) choice).deepCopy();
        indexed.put("index", choices.size());
        choices.add(indexed);
      }
      TokenUsage usage = part.usage();
      if (usage != null) {
        prompt += usage.promptTokens();
        completion += usage.completionTokens();
      }
    }
    if (merged == null) {
      throw GatewayException.upstreamProtocol("no answer came for the prompts");
    }
    merged
        .putObject("usage")
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    return ChatCompletion.of(merged);
  }

  /** {@link #merge} with the adapter's translation of one answer. */
  static ChatCompletion merge(byte[] answers, ProviderAdapter adapter, StreamContext context) {
    return merge(answers, answer -> adapter.fromUpstream(answer, context));
  }
}
