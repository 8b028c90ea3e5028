package io.feathergate.core.spi;

/**
 * A way in which an OpenAI-compatible provider departs from OpenAI's own API, named in its row of
 * the {@link ProviderTable} and handled by the OpenAI adapter. A new provider with a known quirk is
 * still one row; a new quirk is one constant here and its handling in the adapter.
 */
public enum ProviderQuirk {
  /** {@code tool_choice: "required"} is called {@code "any"} (Mistral, Fireworks). */
  TOOL_CHOICE_REQUIRED_AS_ANY,
  /**
   * Only {@code tool_choice} {@code auto} and {@code none} are understood (DeepInfra): any other
   * value is a 400, or dropped with {@code drop_params}.
   */
  TOOL_CHOICE_AUTO_OR_NONE,
  /** Messages may not carry {@code name} (Mistral, xAI): it is left out. */
  NO_MESSAGE_NAMES,
  /** Function tools may not carry {@code strict} (xAI, vLLM): it is left out. */
  NO_STRICT_TOOLS,
  /**
   * A content list of text parts only must be one string (Mistral, SambaNova, DeepSeek): the parts
   * are joined; lists with images stay lists.
   */
  TEXT_CONTENT_AS_STRING,
  /** {@code response_format: {"type":"text"}} is refused (Together AI): it is left out. */
  NO_TEXT_RESPONSE_FORMAT,
  /**
   * {@code stream_options} is refused, while the upstream reports usage in its last chunk unasked
   * (Mistral): it is left out.
   */
  NO_STREAM_OPTIONS,
  /**
   * Model names are paths under {@code accounts/fireworks/models/} unless they name an account
   * already (Fireworks AI).
   */
  FIREWORKS_MODEL_PATH,
  /**
   * Reasoning text comes as {@code reasoning} (OpenRouter): clients read it as {@code
   * reasoning_content}.
   */
  REASONING_AS_REASONING_CONTENT,
  /**
   * A turn that calls tools may end with {@code finish_reason: ""} (xAI): clients get {@code
   * tool_calls}.
   */
  EMPTY_FINISH_REASON_OF_TOOL_CALLS
}
