package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Virtual keys end to end on the embedded database: LiteLLM's management routes, and what a key
 * does to the requests made with it (models, blocking, expiry, limits, budget, spend, its headers).
 * {@link VirtualKeysPostgresTest} runs the same against a real PostgreSQL.
 */
class VirtualKeysE2ETest extends KeysRig {

  @Test
  void aGeneratedKeyIsShownOnceStoredAsItsHashAndCallsTheModelsItMay() throws Exception {
    JsonNode made = generate("{\"models\":[\"cheap\"],\"key_alias\":\"app-1\",\"user_id\":\"u1\"}");
    String key = made.get("key").asText();
    assertThat(key).matches("sk-[A-Za-z0-9_-]{22}");
    assertThat(made.get("key_name").asText()).isEqualTo("sk-..." + key.substring(key.length() - 4));
    String hash = made.get("token").asText();
    assertThat(hash).hasSize(64).doesNotContain(key);

    JsonNode info = JSON.readTree(get("/key/info?key=" + encode(key), MASTER).body());
    assertThat(info.get("key").asText()).isEqualTo(hash);
    assertThat(info.at("/info/key_alias").asText()).isEqualTo("app-1");
    assertThat(info.toString()).doesNotContain(key);
    assertThat(JSON.readTree(get("/key/info?key=" + hash, MASTER).body()).get("key").asText())
        .isEqualTo(hash);

    HttpResponse<String> allowed = chat(key, "cheap");
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    assertThat(Double.parseDouble(allowed.headers().firstValue("x-litellm-response-cost").get()))
        .isPositive();
    assertThat(allowed.headers().firstValue("x-litellm-key-spend")).isPresent();

    HttpResponse<String> denied = chat(key, "other");
    assertThat(denied.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(denied.body()).at("/error/type").asText())
        .isEqualTo("key_model_access_denied");

    // the master key still works, and a key nobody made does not
    assertThat(chat(MASTER, "other").statusCode()).isEqualTo(200);
    assertThat(chat("sk-never-made-0000000000", "cheap").statusCode()).isEqualTo(401);
  }

  @Test
  void theOfficialOpenAiClientWorksWithAVirtualKeyAndSeesLiteLlmsErrors() throws Exception {
    String key = generate("{\"models\":[\"cheap\"]}").get("key").asText();
    String small = generate("{\"max_budget\":0.0001}").get("key").asText();
    com.openai.models.chat.completions.ChatCompletionCreateParams cheap =
        com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
            .model("cheap")
            .addUserMessage("hi")
            .build();
    com.openai.client.OpenAIClient client = client(key);
    com.openai.client.OpenAIClient smallClient = client(small);
    try {
      assertThat(client.chat().completions().create(cheap).choices().get(0).message().content())
          .hasValue("hello there");
      try (var stream = client.chat().completions().createStreaming(cheap)) {
        assertThat(stream.stream().count()).isPositive();
      }
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  client
                      .chat()
                      .completions()
                      .create(
                          com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
                              .model("other")
                              .addUserMessage("hi")
                              .build()))
          .isInstanceOfSatisfying(
              com.openai.errors.UnauthorizedException.class,
              e -> assertThat(e.getMessage()).contains("key not allowed to access model"));
      smallClient.chat().completions().create(cheap);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> smallClient.chat().completions().create(cheap))
          .isInstanceOfSatisfying(
              com.openai.errors.BadRequestException.class,
              e -> assertThat(e.getMessage()).contains("Budget has been exceeded"));
    } finally {
      client.close();
      smallClient.close();
    }
  }

  private com.openai.client.OpenAIClient client(String key) {
    return com.openai.client.okhttp.OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .build();
  }

  @Test
  void aKeysLimitsPerModelGroupHoldForThatGroupOnly() throws Exception {
    String key =
        generate("{\"model_rpm_limit\":{\"cheap\":1},\"model_tpm_limit\":{\"other\":100000}}")
            .get("key")
            .asText();
    HttpResponse<String> first = chat(key, "cheap");
    assertThat(first.headers().firstValue("x-ratelimit-model_per_key-limit-requests"))
        .hasValue("1");
    HttpResponse<String> second = chat(key, "cheap");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.body()).contains("Limit type: requests");
    // the other group has no request limit
    assertThat(chat(key, "other").statusCode()).isEqualTo(200);
    assertThat(chat(key, "other").statusCode()).isEqualTo(200);
    JsonNode info = json(get("/key/info?key=" + key, MASTER)).get("info");
    assertThat(info.at("/model_rpm_limit/cheap").asLong()).isEqualTo(1);
    HttpResponse<String> bad =
        post("/key/generate", MASTER, "{\"model_rpm_limit\":{\"cheap\":\"x\"}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).at("/error/param").asText()).isEqualTo("model_rpm_limit");
  }

  @Test
  void aKeysAliasesSendItsOwnModelNamesToOtherGroups() throws Exception {
    String key =
        generate("{\"models\":[\"cheap\"],\"aliases\":{\"my-model\":\"cheap\"}}")
            .get("key")
            .asText();
    HttpResponse<String> aliased = chat(key, "my-model");
    assertThat(aliased.statusCode()).as(aliased.body()).isEqualTo(200);
    assertThat(aliased.body()).contains("hello there");
    // another key knows nothing of it
    String other = generate("{}").get("key").asText();
    assertThat(chat(other, "my-model").statusCode()).isEqualTo(400);
  }

  @Test
  void spendIsLoggedPerRequestWithoutContentAndAddsUpOnTheKey() throws Exception {
    String key = generate("{\"user_id\":\"spender\"}").get("key").asText();
    HttpResponse<String> first = chat(key, "cheap");
    double cost = Double.parseDouble(first.headers().firstValue("x-litellm-response-cost").get());
    HttpResponse<String> second = chat(key, "cheap");
    assertThat(Double.parseDouble(second.headers().firstValue("x-litellm-key-spend").get()))
        .isCloseTo(2 * cost, org.assertj.core.data.Offset.offset(1e-9));

    JsonNode logs = JSON.readTree(get("/spend/logs?api_key=" + encode(key), MASTER).body());
    assertThat(logs).hasSize(2);
    JsonNode row = logs.get(0);
    assertThat(row.get("spend").asDouble())
        .isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(row.get("model_group").asText()).isEqualTo("cheap");
    assertThat(row.get("user").asText()).isEqualTo("spender");
    assertThat(row.get("status").asText()).isEqualTo("success");
    assertThat(row.get("prompt_tokens").asLong()).isPositive();
    assertThat(logs.toString()).doesNotContain("hello there").doesNotContain(key);
    assertThat(row.get("request_id").asText())
        .isEqualTo(
            first.headers().firstValue("x-litellm-call-id").orElse(row.get("request_id").asText()));
  }

  @Test
  void aKeyOverItsBudgetGetsLiteLlmsBudgetExceeded() throws Exception {
    String key = generate("{\"max_budget\":0.0001}").get("key").asText();
    assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);
    HttpResponse<String> over = chat(key, "cheap");
    assertThat(over.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(over.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("budget_exceeded");
    assertThat(error.get("code").asText()).isEqualTo("400");
    assertThat(error.get("message").asText())
        .startsWith("Budget has been exceeded! Current cost: ")
        .endsWith(", Max budget: 1.0E-4");
    // raising the budget lets it through again, at once
    assertThat(
            post("/key/update", MASTER, "{\"key\":\"" + key + "\",\"max_budget\":10}").statusCode())
        .isEqualTo(200);
    assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);
  }

  @Test
  void aThousandConcurrentRequestsOnABudgetForAHundredPassAtMostAHundred() throws Exception {
    // what one call costs, measured through the gateway
    String probe = generate("{}").get("key").asText();
    double cost =
        Double.parseDouble(
            chat(probe, "cheap").headers().firstValue("x-litellm-response-cost").get());
    String key = generate("{\"max_budget\":" + (99.5 * cost) + "}").get("key").asText();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      calls.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                  .header("Authorization", "Bearer " + key)
                  .timeout(Duration.ofSeconds(60))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"cheap\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                              + "\"content\":\"hi\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    int passed = 0;
    int overBudget = 0;
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> answer = call.join();
      if (answer.statusCode() == 200) {
        passed++;
      } else if (answer.statusCode() == 400 && answer.body().contains("budget_exceeded")) {
        overBudget++;
      }
    }
    assertThat(passed).isBetween(90, 100);
    assertThat(passed + overBudget).isEqualTo(1000);
  }

  @Test
  void blockedExpiredDeletedAndRegeneratedKeysAreRefused() throws Exception {
    String key = generate("{}").get("key").asText();
    assertThat(post("/key/block", MASTER, "{\"key\":\"" + key + "\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> blocked = chat(key, "cheap");
    assertThat(blocked.statusCode()).isEqualTo(401);
    assertThat(blocked.body()).contains("blocked");
    assertThat(post("/key/unblock", MASTER, "{\"key\":\"" + key + "\"}").statusCode())
        .isEqualTo(200);
    assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);

    assertThat(
            post(
                    "/key/update",
                    MASTER,
                    "{\"key\":\"" + key + "\",\"expires\":\"2020-01-01T00:00:00Z\"}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> expired = chat(key, "cheap");
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(expired.body()).at("/error/type").asText()).isEqualTo("expired_key");

    String other = generate("{}").get("key").asText();
    JsonNode regenerated = JSON.readTree(post("/key/" + other + "/regenerate", MASTER, "").body());
    String fresh = regenerated.get("key").asText();
    assertThat(fresh).isNotEqualTo(other);
    assertThat(chat(other, "cheap").statusCode()).isEqualTo(401);
    assertThat(chat(fresh, "cheap").statusCode()).isEqualTo(200);

    JsonNode deleted =
        JSON.readTree(post("/key/delete", MASTER, "{\"keys\":[\"" + fresh + "\"]}").body());
    assertThat(deleted.get("deleted_keys")).hasSize(1);
    assertThat(chat(fresh, "cheap").statusCode()).isEqualTo(401);
  }

  @Test
  void aKeysRequestsPerMinuteAreLimitedWithRetryAfter() throws Exception {
    String key = generate("{\"rpm_limit\":2}").get("key").asText();
    HttpResponse<String> first = chat(key, "cheap");
    assertThat(first.headers().firstValue("x-ratelimit-api_key-limit-requests")).hasValue("2");
    assertThat(first.headers().firstValue("x-ratelimit-api_key-remaining-requests")).hasValue("1");
    assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);
    HttpResponse<String> third = chat(key, "cheap");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("retry-after")).isPresent();
    assertThat(third.body())
        .contains("Rate limit exceeded for api_key: ")
        .contains("Limit type: requests");
  }

  @Test
  void onlyTheMasterKeyManagesKeysAndBadFieldsAreNamed() throws Exception {
    String key = generate("{}").get("key").asText();
    assertThat(post("/key/generate", key, "{}").statusCode()).isEqualTo(403);
    assertThat(get("/key/list", key).statusCode()).isEqualTo(403);

    HttpResponse<String> badBudget = post("/key/generate", MASTER, "{\"max_budget\":\"lots\"}");
    assertThat(badBudget.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badBudget.body()).at("/error/param").asText()).isEqualTo("max_budget");
    HttpResponse<String> unknown = post("/key/generate", MASTER, "{\"colour\":\"red\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("colour");
    HttpResponse<String> notYet = post("/key/generate", MASTER, "{\"tags\":[\"a\"]}");
    assertThat(notYet.statusCode()).isEqualTo(400);
    assertThat(notYet.body()).contains("not supported");
    assertThat(post("/key/generate", MASTER, "{\"budget_duration\":\"soon\"}").statusCode())
        .isEqualTo(400);
    HttpResponse<String> broken = post("/key/generate", MASTER, "{not json");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).doesNotContain("Exception").doesNotContain("jackson");
    assertThat(get("/key/info?key=sk-nobody-has-this-key-000", MASTER).statusCode()).isEqualTo(404);
  }

  @Test
  void sqlInjectionThroughEveryFieldIsStoredAsTextAndMatchesNothing() throws Exception {
    String evil = "x' OR '1'='1'; DROP TABLE fg_key; --";
    HttpResponse<String> team =
        post("/team/new", MASTER, "{\"team_id\":\"" + evil + "\",\"team_alias\":\"" + evil + "\"}");
    assertThat(team.statusCode()).as(team.body()).isEqualTo(200);
    assertThat(get("/team/info?team_id=" + encode(evil), MASTER).statusCode()).isEqualTo(200);
    assertThat(get("/team/info?team_id=" + encode("' OR '1'='1"), MASTER).statusCode())
        .isEqualTo(404);
    HttpResponse<String> user =
        post("/user/new", MASTER, "{\"user_id\":\"" + evil + "\",\"user_email\":\"" + evil + "\"}");
    assertThat(user.statusCode()).as(user.body()).isEqualTo(200);
    assertThat(get("/user/info?user_id=" + encode("' OR '1'='1"), MASTER).statusCode())
        .isEqualTo(404);
    JsonNode made =
        generate(
            "{\"key_alias\":\""
                + evil.replace("\"", "\\\"")
                + "\",\"user_id\":\""
                + evil
                + "\",\"team_id\":\""
                + evil
                + "\",\"models\":[\""
                + evil
                + "\"],\"metadata\":{\"k\":\""
                + evil
                + "\"},\"aliases\":{\""
                + evil
                + "\":\"cheap\"}}");
    String hash = made.get("token").asText();
    JsonNode info = JSON.readTree(get("/key/info?key=" + hash, MASTER).body()).get("info");
    assertThat(info.get("user_id").asText()).isEqualTo(evil);
    assertThat(info.get("key_alias").asText()).isEqualTo(evil);
    // a filter with the same text finds exactly that key, and an injection in a filter finds none
    // this key, and the one /user/new made for the user
    JsonNode byUser = JSON.readTree(get("/key/list?user_id=" + encode(evil), MASTER).body());
    assertThat(byUser.get("total_count").asLong()).isEqualTo(2);
    JsonNode none = JSON.readTree(get("/key/list?user_id=" + encode("' OR 1=1 --"), MASTER).body());
    assertThat(none.get("total_count").asLong()).isZero();
    assertThat(get("/key/info?key=" + encode("' OR '1'='1"), MASTER).statusCode()).isEqualTo(404);
    assertThat(get("/spend/logs?api_key=" + encode("' OR '1'='1"), MASTER).body()).isEqualTo("[]");
    assertThat(chat("sk-' OR '1'='1' --", "cheap").statusCode()).isEqualTo(401);
    assertThat(
            get("/global/spend/report?group_by=" + encode("team_id; DROP TABLE fg_key"), MASTER)
                .statusCode())
        .isEqualTo(400);
    // the tables are still there
    assertThat(JSON.readTree(get("/key/list", MASTER).body()).get("total_count").asLong())
        .isPositive();
  }

  @Test
  void aRestartKeepsKeysAndTheirSpend() throws Exception {
    String key = generate("{\"max_budget\":100}").get("key").asText();
    double cost =
        Double.parseDouble(
            chat(key, "cheap").headers().firstValue("x-litellm-response-cost").get());
    gateway.close();
    gateway = GatewayServer.start(config());
    HttpResponse<String> again = chat(key, "cheap");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(Double.parseDouble(again.headers().firstValue("x-litellm-key-spend").get()))
        .isCloseTo(2 * cost, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(JSON.readTree(get("/spend/logs?api_key=" + encode(key), MASTER).body())).hasSize(2);
  }
}
