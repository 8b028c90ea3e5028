package io.feathergate.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.UpstreamAuth;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VertexAdapterTest {
  static final VertexAdapter ADAPTER = new VertexAdapter(ProviderTable.get("vertex_ai"));

  static Deployment.Builder deployment(String model, Map<String, String> settings) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("vertex_client_email", "sa@p.iam.gserviceaccount.com");
    all.put("vertex_token_uri", "https://oauth2.googleapis.com/token");
    all.put("vertex_credentials_project", "from-credentials");
    return Deployment.builder("d", "g", "vertex_ai", model)
        .settings(all)
        .secrets(Map.of("vertex_private_key", Secret.ofNullable("-----BEGIN PRIVATE KEY-----x")));
  }

  static UpstreamRequest send(Deployment deployment, String json) {
    return ADAPTER.toUpstream(
        ChatRequests.parse(json.getBytes(StandardCharsets.UTF_8)),
        new Route(deployment, deployment.upstreamModel()));
  }

  @Test
  void geminiOnVertexUrlsByLocation() {
    String hello = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    UpstreamRequest regional =
        send(
            deployment(
                    "gemini-2.5-flash",
                    Map.of("vertex_project", "p1", "vertex_location", "europe-west4"))
                .build(),
            hello);
    assertThat(regional.uri())
        .hasToString(
            "https://europe-west4-aiplatform.googleapis.com/v1/projects/p1/locations/europe-west4/"
                + "publishers/google/models/gemini-2.5-flash:generateContent");
    assertThat(Json.readOrNull(regional.body()).at("/contents/0/parts/0/text").asText())
        .isEqualTo("Hi");
    UpstreamAuth.ServiceAccountJwt grant =
        (UpstreamAuth.ServiceAccountJwt) ((UpstreamAuth.OAuthToken) regional.auth()).grant();
    assertThat(grant.scope()).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
    assertThat(regional.headers()).doesNotContainKeys("x-goog-api-key", "Authorization");
    UpstreamRequest global =
        send(
            deployment("gemini-2.5-pro", Map.of("vertex_location", "global")).build(),
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(global.uri())
        .hasToString(
            "https://aiplatform.googleapis.com/v1/projects/from-credentials/locations/global/"
                + "publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
    UpstreamRequest privateEndpoint =
        send(
            deployment("gemini-2.5-pro", Map.of("vertex_project", "p1"))
                .apiBase(URI.create("https://vertex.internal.example:8443/ignored/path"))
                .build(),
            hello);
    assertThat(privateEndpoint.uri().toString())
        .startsWith("https://vertex.internal.example:8443/v1/projects/p1/locations/us-central1/");
  }

  @Test
  void claudeOnVertexIsTheMessagesBodyWithVertexsVersion() {
    UpstreamRequest request =
        ADAPTER.toUpstream(
            ChatRequests.parse(
                    "{\"model\":\"m\",\"stream\":true,\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
                        .getBytes(StandardCharsets.UTF_8))
                .withClientHeaders(Map.of("anthropic-beta", "context-1m-2025-08-07")),
            new Route(
                deployment("claude-sonnet-4-5@20250929", Map.of("vertex_project", "p1")).build(),
                "claude-sonnet-4-5@20250929"));
    assertThat(request.uri())
        .hasToString(
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p1/locations/us-central1/"
                + "publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
    JsonNode body = Json.readOrNull(request.body());
    assertThat(body.has("model")).isFalse();
    assertThat(body.get("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
    assertThat(body.get("anthropic_beta").get(0).asText()).isEqualTo("context-1m-2025-08-07");
    assertThat(body.get("max_tokens").asInt()).isEqualTo(100);
    assertThat(request.headers()).doesNotContainKeys("x-api-key", "anthropic-beta");
  }

  @Test
  void googleErrorsForClaudeAreReadAsGooglesAndAnthropicsAsAnthropics() {
    var google =
        ADAPTER.toError(
            429,
            Map.of(),
            "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(google.status()).isEqualTo(429);
    assertThat(google.code()).isEqualTo("RESOURCE_EXHAUSTED");
    var anthropic =
        ADAPTER.toError(
            400,
            Map.of(),
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(anthropic.type()).isEqualTo("invalid_request_error");
    assertThat(anthropic.getMessage()).contains("bad");
  }
}
