package io.feathergate.core.cache;

import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/** The ticket of a chat or text completion: one entry, a whole answer or a stream's chunks. */
final class AnswerTicket implements CacheTicket {
  private static final String STREAM_TYPE = "text/event-stream";

  private final ResponseCache cache;
  private final String key;
  private final CacheControls controls;
  private final CachedAnswer hit;

  // written by the exchange's serial callbacks, one at a time
  private List<String> chunks = new ArrayList<>();
  private long chunkChars;
  private boolean abandoned;

  AnswerTicket(ResponseCache cache, String key, CacheControls controls, CachedAnswer hit) {
    this.cache = cache;
    this.key = key;
    this.controls = controls;
    this.hit = hit;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public CachedAnswer hit() {
    return hit;
  }

  @Override
  public synchronized ChatCompletion answered(ChatCompletion completion) {
    if (!abandoned) {
      abandoned = true;
      long storedAt = cache.now();
      cache.store(
          key,
          controls,
          () ->
              Output.inAnswer(completion)
                  ? new CachedAnswer(
                      storedAt,
                      false,
                      completion.inClientApi(),
                      completion.contentType(),
                      completion.usage(),
                      completion.json(),
                      List.of())
                  : null);
    }
    return completion;
  }

  @Override
  public synchronized void chunk(String chunkJson) {
    if (abandoned) {
      return;
    }
    chunkChars += chunkJson.length() + 1;
    // an entry keeps a chunk a line: one that spans lines (an upstream's pretty-printed JSON) is
    // not stored rather than replayed cut in pieces
    if (chunkChars > ResponseCache.MAX_ENTRY_BYTES || chunkJson.indexOf('\n') >= 0) {
      abandon();
      return;
    }
    chunks.add(chunkJson);
  }

  @Override
  public synchronized void streamEnded(TokenUsage usage) {
    if (abandoned) {
      return;
    }
    abandoned = true;
    List<String> all = chunks;
    chunks = null;
    long storedAt = cache.now();
    cache.store(
        key,
        controls,
        () ->
            Output.inChunks(all)
                ? new CachedAnswer(storedAt, true, false, STREAM_TYPE, usage, new byte[0], all)
                : null);
  }

  @Override
  public synchronized void abandon() {
    abandoned = true;
    chunks = null;
  }
}
