package io.feathergate.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.CacheSettings;
import io.feathergate.core.CacheSettings.CallType;
import io.feathergate.core.CacheSettings.Scope;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache's parts: keys, entries, stores and tickets, without HTTP. */
class ResponseCacheTest {
  private final AtomicLong now = new AtomicLong(1_000_000);

  private static ChatRequest chat(String json) {
    ObjectNode body = (ObjectNode) Json.readOrNull(json.getBytes(StandardCharsets.UTF_8));
    return new ChatRequest(
        body, body.path("model").asText(), body.path("stream").asBoolean(), false, Map.of(), null);
  }

  private static CacheSettings settings(boolean defaultOff, Scope scope, Set<CallType> types) {
    return new CacheSettings(
        true,
        false,
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        1 << 20,
        null,
        types,
        defaultOff,
        scope);
  }

  private ResponseCache cache(CacheSettings settings, CacheStore store) {
    return new ResponseCache(settings, store, now::get);
  }

  private static ChatCompletion answer(String content) {
    return new ChatCompletion(
        ("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + content
                + "\"}}]}")
            .getBytes(StandardCharsets.UTF_8),
        new TokenUsage(3, 4, 7));
  }

  @Test
  void theKeyIgnoresFieldOrderMetadataAndTheCachesOwnFieldButNotScopeOrParameters() {
    ObjectNode one =
        (ObjectNode)
            Json.readOrNull(
                "{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_p\":1}"
                    .getBytes(StandardCharsets.UTF_8));
    ObjectNode two =
        (ObjectNode)
            Json.readOrNull(
                ("{\"top_p\":1,\"cache\":{\"ttl\":5},\"metadata\":{\"a\":1},\"model\":\"b\","
                        + "\"messages\":[{\"content\":\"x\",\"role\":\"user\"}]}")
                    .getBytes(StandardCharsets.UTF_8));
    String key = CacheKeys.key(one, "group", "CHAT", "", null);
    assertThat(key).matches("[0-9a-f]{64}");
    assertThat(CacheKeys.key(two, "group", "CHAT", "", null)).isEqualTo(key);
    assertThat(CacheKeys.key(one, "group", "CHAT", "team:t", null)).isNotEqualTo(key);
    assertThat(CacheKeys.key(one, "other", "CHAT", "", null)).isNotEqualTo(key);
    assertThat(CacheKeys.key(one, "group", "TEXT_COMPLETION", "", null)).isNotEqualTo(key);
    assertThat(CacheKeys.key(one, "group", "CHAT", "", "ns")).isEqualTo("ns:" + key);
    one.put("top_p", 0.5);
    assertThat(CacheKeys.key(one, "group", "CHAT", "", null)).isNotEqualTo(key);
  }

  @Test
  void anEntryReadsBackAsItWasStored() {
    CachedAnswer answer =
        new CachedAnswer(
            42,
            false,
            true,
            "audio/mpeg; charset=x",
            new TokenUsage(1, 2, 3, 4, 5, 6),
            new byte[] {0, '\n', 1, (byte) 0xff},
            List.of());
    CachedAnswer back = CachedAnswer.decode(answer.encode());
    assertThat(back.storedAtMillis()).isEqualTo(42);
    assertThat(back.stream()).isFalse();
    assertThat(back.inClientApi()).isTrue();
    assertThat(back.contentType()).isEqualTo("audio/mpeg; charset=x");
    assertThat(back.usage()).hasToString(answer.usage().toString());
    assertThat(back.body()).containsExactly(0, '\n', 1, (byte) 0xff);

    CachedAnswer stream =
        new CachedAnswer(
            7, true, false, "text/event-stream", null, new byte[0], List.of("{}", "é"));
    CachedAnswer streamBack = CachedAnswer.decode(stream.encode());
    assertThat(streamBack.chunks()).containsExactly("{}", "é");
    assertThat(streamBack.usage()).isNull();

    assertThat(CachedAnswer.decode("{\"not\":\"ours\"}".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(CachedAnswer.decode("FGC1 x sc - t\n".getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void defaultOffServesOnlyRequestsThatAskAndOnlyTheConfiguredCallTypes() {
    ResponseCache off =
        cache(settings(true, Scope.KEY, Set.of(CallType.CHAT)), new LocalCacheStore(1 << 20));
    ChatRequest plain = chat("{\"model\":\"m\",\"messages\":[]}");
    assertThat(off.open(plain, "m", CallType.CHAT, Principal.NONE)).isNull();
    ChatRequest asking = chat("{\"model\":\"m\",\"messages\":[],\"cache\":{\"use-cache\":true}}");
    assertThat(off.open(asking, "m", CallType.CHAT, Principal.NONE)).isNotNull();
    assertThat(off.open(asking, "m", CallType.EMBEDDING, Principal.NONE)).isNull();
    assertThat(off.open(asking, "m", null, Principal.NONE)).isNull();
    assertThatThrownBy(
            () ->
                off.open(
                    chat("{\"model\":\"m\",\"cache\":{\"no-cache\":\"yes\"}}"),
                    "m",
                    CallType.CHAT,
                    Principal.NONE))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains("cache.no-cache");
            });
  }

  @Test
  void aStoredAnswerIsAHitUntilItIsTooOld() {
    ResponseCache cache =
        cache(
            settings(false, Scope.GLOBAL, Set.of(CallType.values())), new LocalCacheStore(1 << 20));
    ChatRequest request = chat("{\"model\":\"m\",\"messages\":[]}");
    CacheTicket miss = cache.open(request, "m", CallType.CHAT, Principal.NONE);
    assertThat(miss.hit()).isNull();
    miss.answered(answer("yes"));
    now.addAndGet(5_000);
    CachedAnswer hit = cache.open(request, "m", CallType.CHAT, Principal.NONE).hit();
    assertThat(new String(hit.body(), StandardCharsets.UTF_8)).contains("yes");
    assertThat(hit.usage().totalTokens()).isEqualTo(7);
    ChatRequest young = chat("{\"model\":\"m\",\"messages\":[],\"cache\":{\"s-maxage\":4}}");
    assertThat(cache.open(young, "m", CallType.CHAT, Principal.NONE).hit()).isNull();
    // the stream of the same request is another entry
    ChatRequest streamed = chat("{\"model\":\"m\",\"messages\":[],\"stream\":true}");
    assertThat(cache.open(streamed, "m", CallType.CHAT, Principal.NONE).hit()).isNull();
  }

  @Test
  void aStreamIsStoredOnlyWhenItEndsWellSaysSomethingAndFits() {
    LocalCacheStore store = new LocalCacheStore(64 << 20);
    ResponseCache cache = cache(settings(false, Scope.GLOBAL, Set.of(CallType.CHAT)), store);
    String role = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}";
    String text = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}";

    CacheTicket cut = streamTicket(cache, "a");
    cut.chunk(role);
    cut.chunk(text);
    cut.abandon();
    cut.streamEnded(null);
    assertThat(streamTicket(cache, "a").hit()).isNull();

    CacheTicket empty = streamTicket(cache, "b");
    empty.chunk(role);
    empty.streamEnded(null);
    assertThat(streamTicket(cache, "b").hit()).isNull();

    CacheTicket huge = streamTicket(cache, "c");
    String big = text.replace("hi", "x".repeat(1 << 20));
    for (int i = 0; i < 5; i++) {
      huge.chunk(big);
    }
    huge.streamEnded(null);
    assertThat(streamTicket(cache, "c").hit()).isNull();

    CacheTicket multiline = streamTicket(cache, "e");
    multiline.chunk(role);
    multiline.chunk(text.replace(",", ",\n"));
    multiline.streamEnded(null);
    assertThat(streamTicket(cache, "e").hit()).isNull();

    CacheTicket good = streamTicket(cache, "d");
    good.chunk(role);
    good.chunk(text);
    good.streamEnded(new TokenUsage(1, 1, 2));
    CachedAnswer hit = streamTicket(cache, "d").hit();
    assertThat(hit.chunks()).containsExactly(role, text);
    assertThat(hit.usage().totalTokens()).isEqualTo(2);
  }

  /** The ticket of a streamed request for {@code model}, in its own group. */
  private static CacheTicket streamTicket(ResponseCache cache, String model) {
    return cache.open(
        chat("{\"model\":\"" + model + "\",\"stream\":true}"),
        model,
        CallType.CHAT,
        Principal.NONE);
  }

  @Test
  void theLocalStoreKeepsWhatFitsItsBytesAndEachEntryForItsOwnLife() throws Exception {
    LocalCacheStore store = new LocalCacheStore(100_000);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      keys.add("k" + i);
      store.put("k" + i, new byte[10_000], Duration.ofMinutes(1));
    }
    long kept = keys.stream().filter(key -> store.get(key) != null).count();
    assertThat(kept).isBetween(1L, 10L);
    store.put("short", new byte[1], Duration.ofMillis(50));
    store.put("none", new byte[1], Duration.ZERO);
    assertThat(store.get("none")).isNull();
    Thread.sleep(120);
    assertThat(store.get("short")).isNull();
    assertThat(store.delete(List.of("short", "missing"))).isZero();
  }

  @Test
  void theLayeredStoreKeepsACopyOfWhatItReadFromTheSharedOne() {
    LocalCacheStore shared = new LocalCacheStore(1 << 20);
    LocalCacheStore front = new LocalCacheStore(1 << 20);
    LayeredCacheStore layered = new LayeredCacheStore(front, Duration.ofSeconds(5), shared);
    shared.put("k", new byte[] {1}, Duration.ofMinutes(1));
    assertThat(layered.get("k")).containsExactly(1);
    shared.delete(List.of("k"));
    assertThat(layered.get("k")).containsExactly(1);
    assertThat(layered.delete(List.of("k"))).isEqualTo(1);
    assertThat(layered.get("k")).isNull();
    layered.put("j", new byte[] {2}, Duration.ofMinutes(1));
    assertThat(shared.get("j")).containsExactly(2);
    assertThat(front.get("j")).containsExactly(2);
    assertThat(layered.type()).isEqualTo("local");
  }
}
