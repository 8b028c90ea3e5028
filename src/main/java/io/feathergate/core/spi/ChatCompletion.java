package io.feathergate.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;

/**
 * A whole answer in the gateway's chat schema (OpenAI's {@code chat.completion}), with the token
 * usage it reports carried beside it as data, so that nobody has to find it in the bytes again.
 *
 * @param json the {@code chat.completion} JSON; callers must not modify it
 * @param usage the usage the upstream reported, or null when it reported none
 */
public record ChatCompletion(byte[] json, TokenUsage usage) {

  /** The completion a translator built as a tree, written out once, with its usage. */
  public static ChatCompletion of(ObjectNode completion) {
    return new ChatCompletion(Json.bytes(completion), TokenUsage.of(completion.get("usage")));
  }
}
