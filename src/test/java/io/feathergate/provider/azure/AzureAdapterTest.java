package io.feathergate.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.UpstreamAuth;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureAdapterTest {
  static final AzureAdapter AZURE = new AzureAdapter(ProviderTable.get("azure"));
  static final AzureAdapter FOUNDRY = new AzureAdapter(ProviderTable.get("azure_ai"));
  static final String HELLO =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  static Deployment.Builder deployment(String provider, String base) {
    return Deployment.builder("d", "g", provider, "my-deploy").apiBase(URI.create(base));
  }

  static UpstreamRequest send(AzureAdapter adapter, Deployment deployment) {
    return adapter.toUpstream(
        ChatRequests.parse(HELLO.getBytes(StandardCharsets.UTF_8)),
        new Route(deployment, "my-deploy"));
  }

  @Test
  void datedFamilyByDefaultWithTheKeyInApiKey() {
    UpstreamRequest request =
        send(
            AZURE,
            deployment("azure", "https://res.openai.azure.com/")
                .apiKey(Secret.ofNullable("azure-key"))
                .build());
    assertThat(request.uri())
        .hasToString(
            "https://res.openai.azure.com/openai/deployments/my-deploy/chat/completions"
                + "?api-version=2025-02-01-preview");
    assertThat(request.headers()).containsEntry("api-key", "azure-key");
    assertThat(request.headers()).doesNotContainKey("Authorization");
    assertThat(request.auth()).isNull();
    assertThat(Json.readOrNull(request.body()).get("model").asText()).isEqualTo("my-deploy");
  }

  @Test
  void litellmsRoutingPrefixesAreNotPartOfTheDeploymentName() {
    assertThat(AzureAdapter.deploymentName("o_series/my-o3")).isEqualTo("my-o3");
    assertThat(AzureAdapter.deploymentName("gpt5_series/my-gpt5")).isEqualTo("my-gpt5");
    assertThat(AzureAdapter.deploymentName("my-gpt-4o")).isEqualTo("my-gpt-4o");
  }

  @Test
  void v1FamilyForV1LatestAndPreview() {
    for (String version : List.of("v1", "latest", "preview")) {
      UpstreamRequest request =
          send(
              AZURE,
              deployment("azure", "https://res.openai.azure.com/openai")
                  .apiKey(Secret.ofNullable("k"))
                  .settings(Map.of("api_version", version))
                  .build());
      assertThat(request.uri().toString())
          .startsWith("https://res.openai.azure.com/openai/v1/chat/completions");
    }
    assertThat(AzureAdapter.azureUri(URI.create("https://r.openai.azure.com"), "d", "2024-10-21"))
        .hasToString(
            "https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21");
  }

  @Test
  void aStaticEntraTokenIsABearerAndClientCredentialsAGrant() {
    UpstreamRequest token =
        send(
            AZURE,
            deployment("azure", "https://res.openai.azure.com")
                .secrets(Map.of("azure_ad_token", Secret.ofNullable("eyJ-static")))
                .build());
    assertThat(token.headers()).containsEntry("Authorization", "Bearer eyJ-static");
    UpstreamRequest grant =
        send(
            AZURE,
            deployment("azure", "https://res.openai.azure.com")
                .settings(
                    Map.of(
                        "tenant_id",
                        "t1",
                        "client_id",
                        "c1",
                        "azure_authority_host",
                        "https://login.microsoftonline.us/"))
                .secrets(Map.of("client_secret", Secret.ofNullable("s1")))
                .build());
    assertThat(grant.headers()).doesNotContainKeys("Authorization", "api-key");
    UpstreamAuth.ClientCredentials credentials =
        (UpstreamAuth.ClientCredentials) ((UpstreamAuth.OAuthToken) grant.auth()).grant();
    assertThat(credentials.tokenUri())
        .hasToString("https://login.microsoftonline.us/t1/oauth2/v2.0/token");
    assertThat(credentials.scope()).isEqualTo("https://cognitiveservices.azure.com/.default");
    assertThat(credentials.clientId()).isEqualTo("c1");
  }

  @Test
  void foundryUrlsAndHeaders() {
    UpstreamRequest services =
        send(
            FOUNDRY,
            deployment("azure_ai", "https://my.services.ai.azure.com")
                .apiKey(Secret.ofNullable("k"))
                .settings(Map.of("api_version", "2024-05-01-preview"))
                .build());
    assertThat(services.uri())
        .hasToString(
            "https://my.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview");
    assertThat(services.headers()).containsEntry("api-key", "k");
    UpstreamRequest serverless =
        send(
            FOUNDRY,
            deployment("azure_ai", "https://llama.eastus2.models.ai.azure.com/v1")
                .apiKey(Secret.ofNullable("k"))
                .build());
    assertThat(serverless.uri())
        .hasToString("https://llama.eastus2.models.ai.azure.com/v1/chat/completions");
    assertThat(serverless.headers()).containsEntry("Authorization", "Bearer k");
  }

  @Test
  void contentFilterErrorsKeepTheirCode() {
    GatewayException e =
        AZURE.toError(
            400,
            Map.of(),
            ("{\"error\":{\"code\":\"content_filter\",\"message\":\"filtered\",\"param\":\"prompt\","
                    + "\"status\":400}}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("content_filter");
    assertThat(e.type()).isEqualTo("invalid_request_error");
  }

  static final String[] AZURE_STREAM = {
    "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
        + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}",
    "{\"choices\":[{\"content_filter_results\":{},\"delta\":{\"content\":\"\",\"role\":\"assistant\"},"
        + "\"finish_reason\":null,\"index\":0}],\"created\":1750697159,\"id\":\"chatcmpl-A\","
        + "\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\"}",
    "{\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":false}},\"delta\":"
        + "{\"content\":\"Hallo\"},\"finish_reason\":null,\"index\":0}],\"created\":1750697159,"
        + "\"id\":\"chatcmpl-A\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\"}",
    "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[{\"index\":0,"
        + "\"finish_reason\":null,\"content_filter_results\":{},\"content_filter_offsets\":"
        + "{\"check_offset\":0,\"start_offset\":0,\"end_offset\":5}}]}",
    "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[{\"index\":0,"
        + "\"finish_reason\":\"content_filter\",\"content_filter_results\":{\"violence\":"
        + "{\"filtered\":true}}}]}",
    "{\"id\":\"chatcmpl-A\",\"object\":\"chat.completion.chunk\",\"created\":1750697159,"
        + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
        + "\"completion_tokens\":1,\"total_tokens\":6}}",
    "[DONE]"
  };

  @Test
  void theStreamReadsAsOpenAisChunks() {
    StreamDecoder decoder =
        AZURE.newStreamDecoder(
            new StreamContext(
                ChatRequests.parse(HELLO.getBytes(StandardCharsets.UTF_8)),
                "my-deploy",
                "chatcmpl-gw",
                1_700_000_000L,
                () -> "call_1"));
    List<String> out = new ArrayList<>();
    for (String data : AZURE_STREAM) {
      decoder.onEvent(new SseEvent(null, data, null), out);
    }
    decoder.onEnd(out);
    assertThat(out).hasSize(4); // the prompt filter chunk and the annotation are gone
    for (String chunk : out) {
      JsonNode json = Json.readOrNull(chunk.getBytes(StandardCharsets.UTF_8));
      assertThat(json.get("id").asText()).isEqualTo("chatcmpl-A");
      assertThat(json.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(json.get("created").asLong()).isEqualTo(1750697159L);
      for (JsonNode choice : json.get("choices")) {
        assertThat(choice.has("delta")).isTrue();
      }
    }
    JsonNode finish = Json.readOrNull(out.get(2).getBytes(StandardCharsets.UTF_8));
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("content_filter");
    assertThat(decoder.usage().totalTokens()).isEqualTo(6);
    // the chunks Azure sends in OpenAI's shape are relayed byte for byte
    assertThat(out.get(1)).isEqualTo(AZURE_STREAM[2]);
  }

  @Test
  void theStreamSurvivesBeingSplitAtEveryByte() {
    StringBuilder sse = new StringBuilder();
    for (String data : AZURE_STREAM) {
      sse.append("data: ").append(data).append("\n\n");
    }
    byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
    List<String> whole = decode(bytes, bytes.length);
    for (int split = 1; split < bytes.length; split++) {
      assertThat(decode(bytes, split)).isEqualTo(whole);
    }
  }

  private static List<String> decode(byte[] bytes, int split) {
    io.feathergate.transport.SseDecoder frames = new io.feathergate.transport.SseDecoder(1 << 20);
    StreamDecoder decoder = AZURE.newStreamDecoder(null);
    List<String> out = new ArrayList<>();
    java.util.function.Consumer<SseEvent> sink = e -> decoder.onEvent(e, out);
    frames.feed(java.nio.ByteBuffer.wrap(bytes, 0, split), sink);
    frames.feed(java.nio.ByteBuffer.wrap(bytes, split, bytes.length - split), sink);
    frames.finish(sink);
    decoder.onEnd(out);
    return out;
  }
}
