package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LiteLLM's response cache in one gateway, in memory: what a client sees on a hit (the same answer,
 * {@code x-litellm-cache-key}, a cost of 0, no upstream call), streams replayed, the body's {@code
 * cache} controls, entries scoped per key or team, embeddings per input item, the cache routes and
 * metrics.
 */
class ResponseCacheE2ETest extends KeysRig {
  private FakeUpstream upstream;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<JsonNode> upstreamBodies = new CopyOnWriteArrayList<>();
  private volatile String answerText = "answer";

  @Override
  String config() throws Exception {
    return """
        model_list:
          - model_name: gpt
            litellm_params:
              model: openai/gpt
              api_base: %1$s
              api_key: sk-upstream-secret
            model_info:
              input_cost_per_token: 0.001
              output_cost_per_token: 0.002
          - model_name: "wild/*"
            litellm_params:
              model: openai/*
              api_base: %1$s
              api_key: sk-upstream-secret
          - model_name: emb
            litellm_params:
              model: openai/emb
              api_base: %1$s
              api_key: sk-upstream-secret
            model_info:
              mode: embedding
        router_settings:
          model_group_alias: {"gpt-alias": "gpt"}
        litellm_settings:
          callbacks: ["prometheus"]
          cache: true
          cache_params:
            type: local
            ttl: 60
        general_settings:
          master_key: %2$s
          database_url: "%3$s"
        """
        .formatted(upstream.baseUrl(), MASTER, databaseUrl());
  }

  @Override
  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
    upstream.respondWith(
        (request, reply) -> {
          int call = calls.incrementAndGet();
          JsonNode body = JSON.readTree(request.body());
          upstreamBodies.add(body);
          if (request.path().endsWith("/embeddings")) {
            reply.json(200, embeddings(body.get("input")));
          } else if (!request.path().endsWith("/chat/completions")) {
            reply.json(
                200,
                "{\"id\":\"t"
                    + call
                    + "\",\"object\":\"text_completion\",\"created\":1,\"model\":\"gpt\","
                    + "\"choices\":[{\"index\":0,\"text\":\"text number "
                    + call
                    + "\",\"finish_reason\":\"stop\"}]}");
          } else if (body.path("stream").asBoolean()) {
            reply.startStream();
            for (String part : List.of(answerText + " ", "number " + call)) {
              reply.chunk(
                  "data: {\"id\":\"c"
                      + call
                      + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt\","
                      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                      + part
                      + "\"},\"finish_reason\":null}]}\n\n");
            }
            reply.chunk(
                "data: {\"id\":\"c"
                    + call
                    + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt\","
                    + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                    + "data: [DONE]\n\n");
            reply.endStream();
          } else {
            String content = answerText.isEmpty() ? "" : answerText + " number " + call;
            reply.json(
                200,
                "{\"id\":\"c"
                    + call
                    + "\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                    + content
                    + "\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}");
          }
        });
    super.start();
  }

  /** A vector per input text that says which text it is: its length and first character. */
  private static String embeddings(JsonNode input) {
    ObjectNode answer = JSON.createObjectNode().put("object", "list");
    ArrayNode data = answer.putArray("data");
    int index = 0;
    for (JsonNode text : input.isArray() ? input : JSON.createArrayNode().add(input)) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", index++);
      item.putArray("embedding").add(text.asText().length()).add((int) text.asText().charAt(0));
    }
    answer.put("model", "emb");
    answer
        .putObject("usage")
        .put("prompt_tokens", 2 * data.size())
        .put("total_tokens", 2 * data.size());
    return answer.toString();
  }

  @AfterEach
  void stopUpstream() throws Exception {
    upstream.close();
  }

  private HttpResponse<String> ask(String key, String extra) throws Exception {
    return post(
        "/v1/chat/completions",
        key,
        "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}");
  }

  @Test
  void theSameRequestAgainIsAnsweredFromTheCacheWithItsKeyAndNoCost() throws Exception {
    HttpResponse<String> first = ask(MASTER, "");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-litellm-cache-key")).isEmpty();
    assertThat(Double.parseDouble(first.headers().firstValue("x-litellm-response-cost").get()))
        .isPositive();

    HttpResponse<String> second = ask(MASTER, "");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body()).contains("answer number 1");
    assertThat(second.headers().firstValue("x-litellm-cache-key").get()).matches("[0-9a-f]{64}");
    assertThat(second.headers().firstValue("x-litellm-response-cost")).hasValue("0.0");
    assertThat(calls).hasValue(1);
    // the cache's own field never reaches the upstream
    assertThat(ask(MASTER, ",\"cache\":{\"no-cache\":true}").body()).contains("number 2");
    assertThat(upstreamBodies.get(1).has("cache")).isFalse();

    // a field order, an alias of the group and metadata do not make another entry
    HttpResponse<String> reordered =
        post(
            "/v1/chat/completions",
            MASTER,
            "{\"metadata\":{\"run\":7},\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],"
                + "\"model\":\"gpt-alias\"}");
    assertThat(reordered.headers().firstValue("x-litellm-cache-key")).isPresent();
    assertThat(reordered.body()).contains("number 2");
    // another parameter does
    assertThat(ask(MASTER, ",\"temperature\":0.5").body()).contains("number 3");

    String metrics = get("/metrics", MASTER).body();
    assertThat(metrics).contains("litellm_cache_hits_metric_total{model=\"gpt\"} 2.0");
    assertThat(metrics).contains("litellm_cache_misses_metric_total{model=\"gpt\"} 3.0");
  }

  @Test
  void eachModelOfAWildcardGroupHasItsOwnEntriesAndTextCompletionsAreCachedToo() throws Exception {
    String wildA = "{\"model\":\"wild/a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String wildB = wildA.replace("wild/a", "wild/b");
    assertThat(post("/v1/chat/completions", MASTER, wildA).body()).contains("number 1");
    assertThat(post("/v1/chat/completions", MASTER, wildB).body()).contains("number 2");
    assertThat(post("/v1/chat/completions", MASTER, wildA).body()).contains("number 1");

    String prompt = "{\"model\":\"gpt\",\"prompt\":\"say\"}";
    HttpResponse<String> text = post("/v1/completions", MASTER, prompt);
    assertThat(text.body()).contains("text number 3");
    HttpResponse<String> textAgain = post("/v1/completions", MASTER, prompt);
    assertThat(textAgain.body()).isEqualTo(text.body());
    assertThat(textAgain.headers().firstValue("x-litellm-cache-key")).isPresent();
    assertThat(calls).hasValue(3);
  }

  @Test
  void theOfficialOpenAiClientReadsHitsStreamedOrNotAndSendsControlsInExtraBody() throws Exception {
    com.openai.client.OpenAIClient client =
        com.openai.client.okhttp.OpenAIOkHttpClient.builder()
            .baseUrl(gateway.baseUrl() + "/v1")
            .apiKey(MASTER)
            .maxRetries(0)
            .build();
    try {
      com.openai.models.chat.completions.ChatCompletionCreateParams params =
          com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
              .model("gpt")
              .addUserMessage("hi from the sdk")
              .build();
      String first =
          client
              .chat()
              .completions()
              .create(params)
              .choices()
              .get(0)
              .message()
              .content()
              .orElseThrow();
      String again =
          client
              .chat()
              .completions()
              .create(params)
              .choices()
              .get(0)
              .message()
              .content()
              .orElseThrow();
      assertThat(again).isEqualTo(first).isEqualTo("answer number 1");
      List<String> streamed = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        try (var stream = client.chat().completions().createStreaming(params)) {
          StringBuilder text = new StringBuilder();
          stream.stream()
              .forEach(
                  chunk ->
                      chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
          streamed.add(text.toString());
        }
      }
      assertThat(streamed.get(1)).isEqualTo(streamed.get(0)).isEqualTo("answer number 2");
      assertThat(calls).hasValue(2);
      // no-cache through extra_body: asked upstream again
      com.openai.models.chat.completions.ChatCompletionCreateParams noCache =
          params.toBuilder()
              .putAdditionalBodyProperty(
                  "cache", com.openai.core.JsonValue.from(java.util.Map.of("no-cache", true)))
              .build();
      assertThat(client.chat().completions().create(noCache).choices().get(0).message().content())
          .hasValue("answer number 3");
    } finally {
      client.close();
    }
  }

  @Test
  void aStreamIsStoredWhenItEndsAndReplayedAsAStream() throws Exception {
    HttpResponse<String> first = ask(MASTER, ",\"stream\":true");
    assertThat(first.body()).contains("number 1").endsWith("data: [DONE]\n\n");
    HttpResponse<String> replayed = ask(MASTER, ",\"stream\":true");
    assertThat(replayed.headers().firstValue("content-type").get()).startsWith("text/event-stream");
    assertThat(replayed.headers().firstValue("x-litellm-cache-key")).isPresent();
    assertThat(replayed.body()).isEqualTo(first.body());
    assertThat(calls).hasValue(1);
    // the answer without a stream is another entry
    assertThat(ask(MASTER, "").body()).contains("number 2");
    assertThat(calls).hasValue(2);
  }

  @Test
  void theBodysControlsSkipTheLookupTheStoreOrShortenTheLife() throws Exception {
    ask(MASTER, "");
    // no-cache: asks upstream, and stores the new answer
    assertThat(ask(MASTER, ",\"cache\":{\"no-cache\":true}").body()).contains("number 2");
    assertThat(ask(MASTER, "").body()).contains("number 2");
    // no-store: the answer is not kept
    assertThat(ask(MASTER, ",\"user\":\"u\",\"cache\":{\"no-store\":true}").body())
        .contains("number 3");
    assertThat(ask(MASTER, ",\"user\":\"u\"").body()).contains("number 4");
    // s-maxage: an entry older than asked for is not taken
    Thread.sleep(50);
    assertThat(ask(MASTER, ",\"cache\":{\"s-maxage\":0.01}").body()).contains("number 5");
    assertThat(ask(MASTER, ",\"cache\":{\"s-maxage\":60}").body()).contains("number 5");
    // ttl: the entry is gone when its life is over
    assertThat(ask(MASTER, ",\"n\":1,\"cache\":{\"ttl\":0.2}").body()).contains("number 6");
    Thread.sleep(400);
    assertThat(ask(MASTER, ",\"n\":1").body()).contains("number 7");
    // namespace: the key's prefix, and another namespace is another entry
    HttpResponse<String> spaced = ask(MASTER, ",\"cache\":{\"namespace\":\"team-a\"}");
    assertThat(spaced.body()).contains("number 8");
    HttpResponse<String> spacedAgain = ask(MASTER, ",\"cache\":{\"namespace\":\"team-a\"}");
    assertThat(spacedAgain.headers().firstValue("x-litellm-cache-key").get())
        .matches("team-a:[0-9a-f]{64}");
    assertThat(ask(MASTER, ",\"cache\":{\"namespace\":\"team-b\"}").body()).contains("number 9");

    HttpResponse<String> bad = ask(MASTER, ",\"cache\":{\"ttl\":\"long\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).at("/error/param").asText()).isEqualTo("cache");
    assertThat(json(bad).at("/error/message").asText()).contains("cache.ttl");
  }

  @Test
  void entriesAreSharedWithinATeamAndNotAcrossKeys() throws Exception {
    String teamId = json(post("/team/new", MASTER, "{}")).get("team_id").asText();
    String teamKey = generate("{\"team_id\":\"" + teamId + "\"}").get("key").asText();
    String teamMate = generate("{\"team_id\":\"" + teamId + "\"}").get("key").asText();
    String loner = generate("{}").get("key").asText();
    assertThat(ask(teamKey, "").body()).contains("number 1");
    assertThat(ask(teamMate, "").body()).contains("number 1");
    assertThat(ask(loner, "").body()).contains("number 2");
    assertThat(ask(MASTER, "").body()).contains("number 3");
    // a hit costs the key nothing
    HttpResponse<String> hit = ask(teamMate, "");
    assertThat(hit.headers().firstValue("x-litellm-response-cost")).hasValue("0.0");
    assertThat(hit.headers().firstValue("x-litellm-key-spend")).hasValue("0.0");
  }

  @Test
  void emptyAnswersAndErrorsAreNotStored() throws Exception {
    answerText = "";
    assertThat(ask(MASTER, "").statusCode()).isEqualTo(200);
    assertThat(ask(MASTER, "").headers().firstValue("x-litellm-cache-key")).isEmpty();
    assertThat(calls).hasValue(2);
    upstream.respondWith(
        (request, reply) -> {
          calls.incrementAndGet();
          reply.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
        });
    assertThat(ask(MASTER, ",\"seed\":1,\"num_retries\":0").statusCode()).isEqualTo(500);
    assertThat(ask(MASTER, ",\"seed\":1,\"num_retries\":0").statusCode()).isEqualTo(500);
  }

  @Test
  void embeddingsAreCachedPerInputItem() throws Exception {
    HttpResponse<String> first =
        post("/v1/embeddings", MASTER, "{\"model\":\"emb\",\"input\":[\"apple\",\"banana\"]}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(upstreamBodies.get(0).get("input").toString()).isEqualTo("[\"apple\",\"banana\"]");

    // one item cached: only the other goes upstream, and the answer keeps the input's order
    HttpResponse<String> partial =
        post("/v1/embeddings", MASTER, "{\"model\":\"emb\",\"input\":[\"cherry\",\"banana\"]}");
    assertThat(upstreamBodies.get(1).get("input").toString()).isEqualTo("[\"cherry\"]");
    JsonNode data = json(partial).get("data");
    assertThat(data.get(0).get("index").asInt()).isZero();
    assertThat(data.get(0).get("embedding").toString()).isEqualTo("[6,99]");
    assertThat(data.get(1).get("index").asInt()).isEqualTo(1);
    assertThat(data.get(1).get("embedding").toString()).isEqualTo("[6,98]");

    // every item cached: no upstream call at all, and no tokens billed
    HttpResponse<String> whole =
        post("/v1/embeddings", MASTER, "{\"model\":\"emb\",\"input\":[\"banana\",\"apple\"]}");
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(calls).hasValue(2);
    assertThat(whole.headers().firstValue("x-litellm-cache-key").get()).contains(",");
    assertThat(json(whole).at("/data/1/embedding").toString()).isEqualTo("[5,97]");
    assertThat(json(whole).at("/usage/prompt_tokens").asInt()).isEqualTo(4);
    HttpResponse<String> single =
        post("/v1/embeddings", MASTER, "{\"model\":\"emb\",\"input\":\"apple\"}");
    assertThat(json(single).at("/data/0/embedding").toString()).isEqualTo("[5,97]");
    assertThat(calls).hasValue(2);
  }

  @Test
  void theCacheRoutesPingAndDeleteForTheMasterKeyOnly() throws Exception {
    HttpResponse<String> ping = get("/cache/ping", MASTER);
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(json(ping).get("status").asText()).isEqualTo("healthy");
    assertThat(json(ping).get("cache_type").asText()).isEqualTo("local");
    assertThat(json(get("/health/readiness", MASTER)).get("cache").asText()).isEqualTo("local");

    ask(MASTER, "");
    String key = ask(MASTER, "").headers().firstValue("x-litellm-cache-key").get();
    HttpResponse<String> deleted = post("/cache/delete", MASTER, "{\"keys\":[\"" + key + "\"]}");
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json(deleted).get("status").asText()).isEqualTo("success");
    assertThat(ask(MASTER, "").body()).contains("number 2");

    assertThat(post("/cache/delete", MASTER, "{\"keys\":\"x\"}").statusCode()).isEqualTo(400);
    String virtual = generate("{}").get("key").asText();
    assertThat(get("/cache/ping", virtual).statusCode()).isEqualTo(403);
    assertThat(post("/cache/delete", virtual, "{\"keys\":[\"" + key + "\"]}").statusCode())
        .isEqualTo(403);
  }
}
