package io.feathergate.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;

/**
 * A whole answer in the gateway's chat schema (OpenAI's {@code chat.completion}), with the token
 * usage it reports carried beside it as data, so that nobody has to find it in the bytes again.
 *
 * @param json the {@code chat.completion} JSON; callers must not modify it
 * @param usage the usage the upstream reported, or null when it reported none
 * @param inClientApi whether {@code json} is instead an answer in the API the client spoke ({@link
 *     NativeHandler}), to go out untouched
 * @param contentType the answer's content type: {@code application/json}, but audio or text for
 *     some of OpenAI's endpoints beyond chat
 */
public record ChatCompletion(
    byte[] json, TokenUsage usage, boolean inClientApi, String contentType) {

  public static final String JSON = "application/json";

  /** A completion in the gateway's chat schema. */
  public ChatCompletion(byte[] json, TokenUsage usage) {
    this(json, usage, false, JSON);
  }

  /** A JSON answer in the client's own API, with the usage it reports. */
  public static ChatCompletion ofClientApi(byte[] answer, TokenUsage usage) {
    return new ChatCompletion(answer, usage, true, JSON);
  }

  /** An answer in the client's own API, of that content type. */
  public static ChatCompletion ofClientApi(byte[] answer, TokenUsage usage, String contentType) {
    return new ChatCompletion(answer, usage, true, contentType);
  }

  /** The completion a translator built as a tree, written out once, with its usage. */
  public static ChatCompletion of(ObjectNode completion) {
    return new ChatCompletion(Json.bytes(completion), TokenUsage.of(completion.get("usage")));
  }
}
