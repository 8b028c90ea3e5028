package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI with Entra ID client credentials: the gateway asks the token endpoint (a fake at the
 * configured {@code azure_authority_host}) for a token, sends it as a bearer, and asks again only
 * once the token is about to expire, once for every request that needs it.
 */
class AzureEntraE2ETest {
  static final String TENANT = "contoso-tenant";
  static final String CLIENT_ID = "client-id-1";
  static final String CLIENT_SECRET = "entra-client-secret-0123456789";

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static final AtomicInteger tokenCalls = new AtomicInteger();
  static final Set<String> issued = ConcurrentHashMap.newKeySet();
  static volatile long holdMillis;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    upstream.respondWith(
        (request, reply) -> {
          if (request.path().equals("/" + TENANT + "/oauth2/v2.0/token")) {
            String form = request.body();
            if (!form.contains("grant_type=client_credentials")
                || !form.contains("client_id=" + CLIENT_ID)
                || !form.contains("client_secret=" + CLIENT_SECRET)
                || !form.contains("scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default")
                || !request
                    .headers()
                    .get("content-type")
                    .startsWith("application/x-www-form-urlencoded")) {
              reply.json(
                  401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215\"}");
              return;
            }
            String token = "entra-token-" + tokenCalls.incrementAndGet();
            issued.add(token);
            // six seconds of life: renewed after three, long enough for a batch of requests to
            // reach the gateway on a busy machine before the next renewal is due
            reply.json(
                200,
                "{\"token_type\":\"Bearer\",\"expires_in\":6,\"access_token\":\"" + token + "\"}");
            return;
          }
          String authorization = request.headers().getOrDefault("authorization", "");
          if (!authorization.startsWith("Bearer ")
              || !issued.contains(authorization.substring(7))
              || request.headers().containsKey("api-key")) {
            reply.json(401, "{\"error\":{\"code\":\"401\",\"message\":\"Unauthorized\"}}");
            return;
          }
          if (holdMillis > 0) {
            Thread.sleep(holdMillis);
          }
          reply.json(
              200,
              "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\","
                  + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                  + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,"
                  + "\"total_tokens\":2}}");
        });
    gateway =
        GatewayServer.start(
            "model_list:\n"
                + "  - model_name: gpt-4o\n"
                + "    litellm_params:\n"
                + "      model: azure/gpt-4o\n"
                + "      api_base: "
                + upstream.origin()
                + "\n"
                + "      api_version: \"2024-10-21\"\n"
                + "      tenant_id: "
                + TENANT
                + "\n"
                + "      client_id: "
                + CLIENT_ID
                + "\n"
                + "      client_secret: "
                + CLIENT_SECRET
                + "\n"
                + "      azure_authority_host: "
                + upstream.origin()
                + "\n");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  static List<HttpResponse<String>> concurrently(HttpClient http, int count) throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                          StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      responses.add(call.get(60, TimeUnit.SECONDS));
    }
    return responses;
  }

  @Test
  void oneTokenServesEveryRequestUntilItExpiresThenOneRefreshServesTheNext200() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    // the first token: one fetch for all of the first requests, held across its refresh time
    holdMillis = 3200;
    List<HttpResponse<String>> first = concurrently(http, 50);
    assertThat(first).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
    assertThat(tokenCalls.get()).isEqualTo(1);

    // the token is past its refresh time: 200 requests at once share one refresh
    holdMillis = 300;
    List<HttpResponse<String>> next = concurrently(http, 200);
    assertThat(next).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
    assertThat(tokenCalls.get()).isEqualTo(2);
    JsonNode answer = ClientSide.parse(next.get(0).body());
    assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("ok");
  }
}
