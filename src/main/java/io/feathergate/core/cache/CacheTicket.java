package io.feathergate.core.cache;

import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.TokenUsage;

/**
 * One request's part in the cache: the entry it hit, or what collects its answer for storing. The
 * exchange's client side calls the collecting methods in the order the answer goes out; they never
 * block.
 */
public interface CacheTicket {

  /** The entry's key, as {@code x-litellm-cache-key} names it. */
  String key();

  /** The entry to replay, or null on a miss. */
  CachedAnswer hit();

  /** The request to send upstream: the request itself, or only the part the cache lacks. */
  default ChatRequest forUpstream(ChatRequest request) {
    return request;
  }

  /** A whole answer is going out: stores it, and returns what the client gets. */
  ChatCompletion answered(ChatCompletion completion);

  /** A chunk of the chat schema is going out. */
  void chunk(String chunkJson);

  /** The stream ended well: stores it. */
  void streamEnded(TokenUsage usage);

  /** The answer cannot be stored (it failed, or went out in another form than chunks). */
  void abandon();
}
