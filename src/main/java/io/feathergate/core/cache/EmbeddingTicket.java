package io.feathergate.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.CacheSettings.CallType;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ticket of an embeddings request: one entry per input item, as LiteLLM keeps them. When every
 * item is cached the answer is put together from the entries; when some are, only the others go
 * upstream and their vectors are merged with the cached ones in input order. The usage reported is
 * what the upstream call counted (a whole hit: the items' stored shares), and each new item stores
 * an even share of its call's prompt tokens.
 */
final class EmbeddingTicket implements CacheTicket {
  /** How many item keys {@code x-litellm-cache-key} lists. */
  private static final int KEYS_SHOWN = 16;

  private final ResponseCache cache;
  private final CacheControls controls;
  private final String model;
  private final List<JsonNode> items;
  private final List<String> keys;
  private final CachedAnswer[] found;
  private final int[] missing;

  private EmbeddingTicket(
      ResponseCache cache,
      CacheControls controls,
      String model,
      List<JsonNode> items,
      List<String> keys,
      CachedAnswer[] found) {
    this.cache = cache;
    this.controls = controls;
    this.model = model;
    this.items = items;
    this.keys = keys;
    this.found = found;
    int absent = 0;
    for (CachedAnswer entry : found) {
      absent += entry == null ? 1 : 0;
    }
    this.missing = new int[absent];
    for (int i = 0, next = 0; i < found.length; i++) {
      if (found[i] == null) {
        missing[next++] = i;
      }
    }
  }

  static EmbeddingTicket open(
      ResponseCache cache,
      ChatRequest request,
      String answeringModel,
      String scope,
      String namespace,
      CacheControls controls) {
    ObjectNode body = request.body();
    List<JsonNode> items = items(body.get("input"));
    List<String> keys = new ArrayList<>(items.size());
    CachedAnswer[] found = new CachedAnswer[items.size()];
    for (int i = 0; i < items.size(); i++) {
      String key =
          CacheKeys.key(
              withInput(body, items.get(i)),
              answeringModel,
              CallType.EMBEDDING.name(),
              scope,
              namespace);
      keys.add(key);
      found[i] = controls.noCache() ? null : cache.read(key, controls, false);
    }
    return new EmbeddingTicket(cache, controls, request.model(), items, keys, found);
  }

  /** A text or one token array is one item; a list of texts or of token arrays, one each. */
  private static List<JsonNode> items(JsonNode input) {
    if (input == null || !input.isArray() || input.isEmpty() || input.get(0).isNumber()) {
      return List.of(input);
    }
    List<JsonNode> items = new ArrayList<>(input.size());
    input.forEach(items::add);
    return items;
  }

  /** {@code body} with another {@code input}; the rest shared, not copied. */
  private static ObjectNode withInput(ObjectNode body, JsonNode input) {
    ObjectNode copy = body.objectNode();
    copy.setAll(body);
    copy.set("input", input);
    return copy;
  }

  @Override
  public String key() {
    return String.join(",", keys.subList(0, Math.min(keys.size(), KEYS_SHOWN)));
  }

  @Override
  public CachedAnswer hit() {
    if (missing.length > 0) {
      return null;
    }
    long tokens = 0;
    List<byte[]> vectors = new ArrayList<>(found.length);
    for (CachedAnswer entry : found) {
      vectors.add(entry.body());
      tokens += entry.usage() == null ? 0 : entry.usage().promptTokens();
    }
    TokenUsage usage = new TokenUsage(tokens, 0, tokens);
    return new CachedAnswer(
        found[0].storedAtMillis(),
        false,
        true,
        ChatCompletion.JSON,
        usage,
        answer(vectors, usage),
        List.of());
  }

  @Override
  public ChatRequest forUpstream(ChatRequest request) {
    if (missing.length == found.length) {
      return request;
    }
    ArrayNode input = request.body().arrayNode(missing.length);
    for (int index : missing) {
      input.add(items.get(index));
    }
    ChatRequest partial = request.withBody(withInput(request.body(), input));
    NativeRequest clientNative = request.nativeRequest();
    return clientNative == null
        ? partial
        : partial.withNativeRequest(clientNative.withBody(withInput(clientNative.body(), input)));
  }

  @Override
  public ChatCompletion answered(ChatCompletion completion) {
    JsonNode answer = Json.readOrNull(completion.json());
    JsonNode data = answer == null ? null : answer.get("data");
    if (data == null || !data.isArray() || data.size() != missing.length) {
      // not the answer expected: passed on as it came, nothing stored
      return completion;
    }
    long share = completion.usage() == null ? 0 : completion.usage().promptTokens() / data.size();
    Map<Integer, JsonNode> vectors = new HashMap<>();
    for (int position = 0; position < data.size(); position++) {
      JsonNode item = data.get(position);
      int sent = item.path("index").asInt(position);
      if (sent < 0 || sent >= missing.length || item.get("embedding") == null) {
        return completion;
      }
      vectors.put(missing[sent], item.get("embedding"));
    }
    long storedAt = cache.now();
    cache.storeAll(
        controls,
        () -> {
          Map<String, CachedAnswer> entries = new HashMap<>();
          vectors.forEach(
              (index, vector) ->
                  entries.put(
                      keys.get(index),
                      new CachedAnswer(
                          storedAt,
                          false,
                          true,
                          ChatCompletion.JSON,
                          new TokenUsage(share, 0, share),
                          Json.bytes(vector),
                          List.of())));
          return entries;
        });
    if (missing.length == found.length) {
      return completion;
    }
    List<byte[]> all = new ArrayList<>(found.length);
    for (int i = 0; i < found.length; i++) {
      all.add(found[i] != null ? found[i].body() : Json.bytes(vectors.get(i)));
    }
    return ChatCompletion.ofClientApi(
        answer(all, completion.usage()), completion.usage(), completion.contentType());
  }

  /** OpenAI's embeddings answer around vectors already in JSON. */
  private byte[] answer(List<byte[]> vectors, TokenUsage usage) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + vectors.size() * 64);
    write(out, "{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < vectors.size(); i++) {
      write(
          out,
          (i == 0 ? "" : ",") + "{\"object\":\"embedding\",\"index\":" + i + ",\"embedding\":");
      out.writeBytes(vectors.get(i));
      write(out, "}");
    }
    long prompt = usage == null ? 0 : usage.promptTokens();
    long total = usage == null ? 0 : usage.totalTokens();
    write(out, "],\"model\":");
    out.writeBytes(Json.bytes(model));
    write(out, ",\"usage\":{\"prompt_tokens\":" + prompt + ",\"total_tokens\":" + total + "}}");
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void chunk(String chunkJson) {
    // embeddings do not stream
  }

  @Override
  public void streamEnded(TokenUsage usage) {
    // embeddings do not stream
  }

  @Override
  public void abandon() {
    // nothing is collected before the answer
  }
}
