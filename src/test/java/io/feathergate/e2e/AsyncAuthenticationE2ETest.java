package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.api.ApiServices;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.errors.GatewayException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An authentication that answers later (a key looked up elsewhere) holds no container thread: the
 * request waits asynchronously, then goes on as the caller it turned out to be, or is refused.
 */
class AsyncAuthenticationE2ETest {
  static GatewayServer gateway;
  static HttpClient http;

  /** An authentication the gateway asked for, answered when the test says so. */
  record Asked(String presentedKey, CompletableFuture<Principal> answer) {}

  static final BlockingQueue<Asked> pending = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: demo
                litellm_params:
                  model: openai/demo
                  mock_response: "hello"
            general_settings:
              master_key: sk-async-master
            """);
    ApiServices services =
        (ApiServices) gateway.servletContext().getAttribute(ApiServices.ATTRIBUTE);
    gateway
        .servletContext()
        .setAttribute(
            ApiServices.ATTRIBUTE,
            new ApiServices(
                services.config(),
                services.directory(),
                services.chat(),
                services.version(),
                services.health(),
                services.liveFeed(),
                services.bodyTimer(),
                presentedKey -> {
                  CompletableFuture<Principal> later = new CompletableFuture<>();
                  pending.add(new Asked(presentedKey, later));
                  return later;
                },
                services.responses(),
                services.management(),
                services.redis(),
                services.cache(),
                services.memory()));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  static CompletableFuture<HttpResponse<String>> chat(String key) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + key)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aLateAnswerLetsTheRequestThroughOrRefusesIt() throws Exception {
    CompletableFuture<HttpResponse<String>> accepted = chat("first");
    Asked first = pending.poll(10, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.presentedKey()).isEqualTo("first");
    // many more requests wait at once: none holds a container thread while it waits (the
    // embedded server has fewer threads than this)
    Map<String, CompletableFuture<HttpResponse<String>>> waiting = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      waiting.put("key-" + i, chat("key-" + i));
    }
    Map<String, CompletableFuture<Principal>> answers = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      Asked asked = pending.poll(10, TimeUnit.SECONDS);
      assertThat(asked).as("authentication %d asked for", i).isNotNull();
      answers.put(asked.presentedKey(), asked.answer());
    }
    assertThat(answers).containsOnlyKeys(waiting.keySet());
    assertThat(accepted).isNotDone();
    first.answer().complete(new Principal("ab".repeat(32), null, "user-1", null));
    HttpResponse<String> response = accepted.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("hello");

    for (int i = 0; i < 300; i++) {
      CompletableFuture<Principal> answer = answers.get("key-" + i);
      if (i % 2 == 0) {
        answer.complete(Principal.NONE);
      } else {
        answer.completeExceptionally(GatewayException.unauthorized("invalid API key"));
      }
    }
    for (int i = 0; i < 300; i++) {
      HttpResponse<String> answered = waiting.get("key-" + i).get(20, TimeUnit.SECONDS);
      if (i % 2 == 0) {
        assertThat(answered.statusCode()).isEqualTo(200);
      } else {
        assertThat(answered.statusCode()).isEqualTo(401);
        assertThat(answered.body()).contains("invalid API key").contains("auth_error");
        assertThat(answered.headers().firstValue("www-authenticate")).hasValue("Bearer");
      }
    }
  }
}
