package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.keys.KeyAuthenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three gateway replicas, each in a JVM of its own, sharing one real Redis (and one PostgreSQL for
 * their keys): a model group's rpm, a key's tpm, a cooldown and a blocked key hold across them, an
 * answer cached through one is a hit on the others, and Redis killed in the middle of traffic costs
 * no request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedStateE2ETest {
  static final String MASTER = "sk-master-shared";
  static final String COMPLETION =
      "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":10,\"total_tokens\":30}}";

  static RedisServer redis;
  static PostgresServer postgres;
  static FakeUpstream upstream;
  static final List<Replica> replicas = new ArrayList<>();
  static final AtomicInteger brokenCalls = new AtomicInteger();
  static final AtomicInteger cacheableCalls = new AtomicInteger();
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    postgres = PostgresServer.start();
    upstream = new FakeUpstream();
    upstream.respondWith(
        (request, reply) -> {
          if (request.path().startsWith("/broken/")) {
            brokenCalls.incrementAndGet();
            reply.json(401, "{\"error\":{\"message\":\"bad key\",\"type\":\"auth_error\"}}");
          } else {
            if (request.body().contains("cache me")) {
              cacheableCalls.incrementAndGet();
            }
            reply.json(200, COMPLETION);
          }
        });
    String origin = upstream.origin();
    Path config = Files.createTempFile("feathergate-shared-", ".yaml");
    Files.writeString(
        config,
        """
        model_list:
          - model_name: limited
            litellm_params: {model: openai/gpt-4o, api_base: %1$s/ok/v1, api_key: sk-a, rpm: 600}
          - model_name: open
            litellm_params: {model: openai/gpt-4o, api_base: %1$s/ok/v1, api_key: sk-b}
          - model_name: priced
            litellm_params: {model: openai/gpt-4o, api_base: %1$s/ok/v1, api_key: sk-e}
            model_info: {input_cost_per_token: 0.001, output_cost_per_token: 0.001}
          - model_name: pair
            litellm_params: {model: openai/gpt-4o, api_base: %1$s/broken/v1, api_key: sk-c}
            model_info: {id: broken}
          - model_name: pair
            litellm_params: {model: openai/gpt-4o, api_base: %1$s/ok/v1, api_key: sk-d}
            model_info: {id: healthy}
        router_settings:
          redis_host: 127.0.0.1
          redis_port: %2$d
          cooldown_time: 120
          num_retries: 1
        litellm_settings:
          cache: true
          cache_params: {namespace: e2e, socket_timeout: 0.5, mode: default_off}
        general_settings:
          master_key: %3$s
          database_url: "%4$s"
        """
            .formatted(origin, redis.port(), MASTER, postgres.databaseUrl()));
    ExecutorService starting = Executors.newFixedThreadPool(3);
    try {
      List<Future<Replica>> started = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        String name = "r" + i;
        started.add(starting.submit(() -> Replica.start(config, name)));
      }
      for (Future<Replica> replica : started) {
        replicas.add(replica.get());
      }
    } finally {
      starting.shutdownNow();
    }
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    for (Replica replica : replicas) {
      replica.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aModelGroupsRpmIsOneLimitAcrossTheReplicas() throws Exception {
    awayFromTheMinutesEnd();
    ExecutorService clients = Executors.newFixedThreadPool(6);
    try {
      List<Future<int[]>> counts = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        Replica replica = replicas.get(t % 3);
        counts.add(
            clients.submit(
                () -> {
                  int[] byStatus = new int[2];
                  for (int i = 0; i < 150; i++) {
                    int status = post(replica, "limited", MASTER).statusCode();
                    assertThat(status).isIn(200, 429);
                    byStatus[status == 200 ? 0 : 1]++;
                  }
                  return byStatus;
                }));
      }
      int ok = 0;
      int limited = 0;
      for (Future<int[]> count : counts) {
        ok += count.get()[0];
        limited += count.get()[1];
      }
      // each replica alone would have let all its 300 through
      assertThat(ok).as("answered of 900 under rpm 600 on three replicas").isBetween(594, 606);
      assertThat(limited).isEqualTo(900 - ok);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void aKeysTpmHoldsAcrossTheReplicas() throws Exception {
    awayFromTheMinutesEnd();
    String key = generateKey("{\"tpm_limit\":100}");
    int ok = 0;
    int i = 0;
    // 30 tokens a call: each replica alone would let four calls through, twelve in all
    for (; i < 12; i++) {
      HttpResponse<String> answer = post(replicas.get(i % 3), "open", key);
      if (answer.statusCode() != 200) {
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.body()).contains("Limit type: tokens");
        break;
      }
      ok++;
    }
    assertThat(ok).as("calls of 30 tokens under a tpm of 100").isBetween(4, 5);
    for (Replica replica : replicas) {
      assertThat(post(replica, "open", key).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void aKeysBudgetHoldsAcrossTheReplicas() throws Exception {
    // 0.03 a call (30 tokens at 0.001): the budget pays for ten
    String key = generateKey("{\"max_budget\":0.3}");
    int ok = 0;
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> answer = post(replicas.get(i % 3), "priced", key);
      if (answer.statusCode() == 200) {
        ok++;
      } else {
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("budget_exceeded");
      }
      // calls a little apart, as a client's are: each replica has read the others' spend again
      Thread.sleep(150);
    }
    // each replica alone would let ten through, thirty in all
    assertThat(ok).as("calls of 0.03 under a budget of 0.3 on three replicas").isBetween(10, 12);
    for (Replica replica : replicas) {
      assertThat(post(replica, "priced", key).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void aCooldownCausedThroughOneReplicaIsHonouredByTheOthers() throws Exception {
    Replica first = replicas.get(0);
    for (int i = 0; i < 40 && brokenCalls.get() == 0; i++) {
      assertThat(post(first, "pair", MASTER).statusCode()).isEqualTo(200);
    }
    assertThat(brokenCalls.get()).as("the broken deployment was tried").isPositive();
    for (Replica other : replicas.subList(1, 3)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      String health = get(other, "/health");
      while (!health.contains("cooldown_until") && System.nanoTime() < deadline) {
        Thread.sleep(20);
        health = get(other, "/health");
      }
      assertThat(health)
          .as("cooling on another replica within a second")
          .contains("cooldown_until");
    }
    int before = brokenCalls.get();
    for (int i = 0; i < 20; i++) {
      assertThat(post(replicas.get(1 + i % 2), "pair", MASTER).statusCode()).isEqualTo(200);
    }
    assertThat(brokenCalls.get()).as("calls to the cooling deployment").isEqualTo(before);
  }

  @Test
  void aKeyBlockedThroughOneReplicaIsRefusedByTheOthersAtOnce() throws Exception {
    String key = generateKey("{}");
    for (Replica replica : replicas) {
      assertThat(post(replica, "open", key).statusCode()).as("known everywhere").isEqualTo(200);
    }
    HttpResponse<String> blocked =
        http.send(
            HttpRequest.newBuilder(URI.create(replicas.get(0).baseUrl() + "/key/block"))
                .header("Authorization", "Bearer " + MASTER)
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(blocked.statusCode()).isEqualTo(200);
    for (Replica other : replicas.subList(1, 3)) {
      // each held the key in memory for a minute; the change reaches it through Redis
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      HttpResponse<String> answer = post(other, "open", key);
      while (answer.statusCode() == 200 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        answer = post(other, "open", key);
      }
      assertThat(answer.statusCode()).isEqualTo(401);
      assertThat(answer.body()).contains("blocked");
    }
  }

  @Test
  void anAnswerCachedThroughOneReplicaIsAHitOnTheOthersStreamedOrNot() throws Exception {
    for (boolean stream : new boolean[] {false, true}) {
      int before = cacheableCalls.get();
      HttpResponse<String> first = cached(replicas.get(0), stream);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      assertThat(first.headers().firstValue("x-litellm-cache-key")).isEmpty();
      // written to Redis by replica 1's writer thread: wait until it is there
      String pattern = "KEYS e2e-cache-" + stream + ":*";
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!redis.command(pattern).equals("*1") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      for (Replica other : replicas.subList(1, 3)) {
        HttpResponse<String> hit = cached(other, stream);
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.headers().firstValue("x-litellm-cache-key").get())
            .startsWith("e2e-cache-" + stream + ":");
        assertThat(hit.body()).isEqualTo(first.body());
      }
      assertThat(cacheableCalls.get() - before).isEqualTo(1);
    }
  }

  /** A request that asks for the cache (it is {@code default_off}), in its own namespace. */
  static HttpResponse<String> cached(Replica replica, boolean stream) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + MASTER)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"open\",\"stream\":"
                        + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"cache me\"}],"
                        + "\"cache\":{\"use-cache\":true,\"namespace\":\"e2e-cache-"
                        + stream
                        + "\"}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: the others need every replica subscribed
  void redisKilledMidRunCostsNoRequestAndSharingResumes() throws Exception {
    String key = generateKey("{\"rpm_limit\":1000000,\"max_parallel_requests\":1000}");
    String scope = "e2e:feathergate:{key:" + KeyAuthenticator.sha256Hex(key) + "}";
    for (int i = 0; i < 30; i++) {
      assertThat(post(replicas.get(i % 3), "open", key).statusCode()).isEqualTo(200);
    }
    assertThat(redis.command("EXISTS " + scope + ":rpm:" + minute())).isIn(":1", ":0");
    redis.kill();
    try {
      for (int i = 0; i < 90; i++) {
        HttpResponse<String> answer = post(replicas.get(i % 3), "open", key);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(post(replicas.get(i % 3), "limited", MASTER).statusCode()).isIn(200, 429);
      }
      // the cache is skipped: asked for, it answers from upstream
      for (Replica replica : replicas) {
        HttpResponse<String> uncached = cached(replica, false);
        assertThat(uncached.statusCode()).isEqualTo(200);
        assertThat(uncached.headers().firstValue("x-litellm-cache-key")).isEmpty();
      }
      for (Replica replica : replicas) {
        assertThat(get(replica, "/health")).contains("\"redis\":{\"status\":\"unhealthy\"");
      }
    } finally {
      redis.begin();
    }
    for (Replica replica : replicas) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      String health = get(replica, "/health");
      while (!health.contains("\"redis\":{\"status\":\"healthy\"")
          && System.nanoTime() < deadline) {
        assertThat(post(replica, "open", key).statusCode()).isEqualTo(200);
        Thread.sleep(50);
        health = get(replica, "/health");
      }
      assertThat(health).contains("\"redis\":{\"status\":\"healthy\"");
    }
    long minute = minute();
    for (Replica replica : replicas) {
      assertThat(post(replica, "open", key).statusCode()).isEqualTo(200);
    }
    String counted = redis.command("GET " + scope + ":rpm:" + minute);
    assertThat(counted).as("requests counted in Redis again").matches("[0-9]+");
  }

  static String generateKey(String body) throws Exception {
    HttpResponse<String> made =
        http.send(
            HttpRequest.newBuilder(URI.create(replicas.get(0).baseUrl() + "/key/generate"))
                .header("Authorization", "Bearer " + MASTER)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    return KeysRig.JSON.readTree(made.body()).path("key").asText();
  }

  static HttpResponse<String> post(Replica replica, String model, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key)
            .POST(
                HttpRequest.BodyPublishers.ofString(ChatCompletionsE2ETest.chatBody(model, false)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String get(Replica replica, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(replica.baseUrl() + path))
                .header("Authorization", "Bearer " + MASTER)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static long minute() {
    return System.currentTimeMillis() / 60_000;
  }

  /** Counting tests do not straddle the end of a minute, when every count starts again. */
  static void awayFromTheMinutesEnd() throws InterruptedException {
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (intoMinute > 45_000) {
      Thread.sleep(60_000 - intoMinute + 100);
    }
  }
}
