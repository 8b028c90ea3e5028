package io.feathergate.core.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A rough count of a prompt's tokens, with no tokenizer, for {@code enable_pre_call_checks} and for
 * token counts asked of providers that offer none: the characters of the message texts (and of tool
 * definitions) divided by 4, the usual characters per token of English text with BPE tokenizers,
 * plus 4 tokens of framing per message. It errs high for code and low for some scripts.
 */
public final class PromptEstimate {
  public static final int CHARS_PER_TOKEN = 4;
  public static final int TOKENS_PER_MESSAGE = 4;

  private PromptEstimate() {}

  public static long tokens(ChatRequest request) {
    long chars = 0;
    long messages = 0;
    for (JsonNode message : request.body().path("messages")) {
      messages++;
      chars += textLength(message.get("content"));
    }
    JsonNode tools = request.body().get("tools");
    if (tools != null) {
      chars += tools.toString().length();
    }
    return chars / CHARS_PER_TOKEN + messages * TOKENS_PER_MESSAGE;
  }

  private static long textLength(JsonNode content) {
    if (content == null) {
      return 0;
    }
    if (content.isTextual()) {
      return content.asText().length();
    }
    long length = 0;
    for (JsonNode part : content) {
      JsonNode text = part.get("text");
      if (text != null && text.isTextual()) {
        length += text.asText().length();
      }
    }
    return length;
  }
}
