package io.feathergate.core.responses;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryResponseStoreTest {
  final AtomicLong now = new AtomicLong();

  static StoredResponse response(String id, int bytes) {
    return new StoredResponse(
        id, null, new byte[bytes], "[]".getBytes(StandardCharsets.UTF_8), new byte[0]);
  }

  @Test
  void aResponseIsKeptForItsTimeToLive() {
    InMemoryResponseStore store =
        new InMemoryResponseStore(Duration.ofSeconds(60), 1 << 20, now::get);
    store.put(response("resp_a", 10));

    now.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(store.get("resp_a")).isNotNull();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(store.get("resp_a")).isNull();
  }

  @Test
  void theOldestGoFirstWhenTheBudgetIsSpent() {
    InMemoryResponseStore store = new InMemoryResponseStore(Duration.ofHours(1), 300, now::get);
    store.put(response("resp_1", 100));
    store.put(response("resp_2", 100));
    store.put(response("resp_3", 100));

    assertThat(store.get("resp_1")).isNull();
    assertThat(store.get("resp_2")).isNotNull();
    assertThat(store.get("resp_3")).isNotNull();
    // one larger than the whole budget is not kept, and evicts nothing
    store.put(response("resp_huge", 1000));
    assertThat(store.get("resp_huge")).isNull();
    assertThat(store.get("resp_2")).isNotNull();
  }

  @Test
  void deleteForgetsAndSaysWhetherItKnew() {
    InMemoryResponseStore store = new InMemoryResponseStore();
    store.put(response("resp_a", 10));

    assertThat(store.delete("resp_a")).isTrue();
    assertThat(store.delete("resp_a")).isFalse();
    assertThat(store.get("resp_a")).isNull();
  }

  @Test
  void onlyTheOwnersKeyReadsAResponse() {
    StoredResponse owned =
        new StoredResponse("resp_a", "hash-1", new byte[0], new byte[0], new byte[0]);

    assertThat(owned.readableBy("hash-1")).isTrue();
    assertThat(owned.readableBy("hash-2")).isFalse();
    assertThat(owned.readableBy(null)).isFalse();
    assertThat(response("resp_b", 1).readableBy("anyone")).isTrue();
  }
}
