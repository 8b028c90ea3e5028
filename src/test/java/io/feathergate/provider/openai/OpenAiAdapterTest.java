package io.feathergate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenAiAdapterTest {

  @Test
  void chatCompletionsUrlIsBuiltFromAnyFormOfApiBase() {
    assertThat(OpenAiAdapter.chatCompletionsUri(ProviderTable.get("openai").defaultApiBase()))
        .hasToString("https://api.openai.com/v1/chat/completions");
    assertThat(OpenAiAdapter.chatCompletionsUri(URI.create("http://h:8000/v1/")))
        .hasToString("http://h:8000/v1/chat/completions");
    assertThat(OpenAiAdapter.chatCompletionsUri(URI.create("http://h/openai/v1/chat/completions")))
        .hasToString("http://h/openai/v1/chat/completions");
  }

  @Test
  void upstreamErrorKeepsStatusTypeCodeAndMessage() {
    GatewayException e =
        OpenAiErrors.fromUpstream(
            404,
            "{\"error\":{\"message\":\"The model `gpt-9` does not exist\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("The model `gpt-9` does not exist");
    assertThat(e.code()).isEqualTo("model_not_found");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void nonJsonErrorBodyIsCutShort() {
    GatewayException e =
        OpenAiErrors.fromUpstream(
            502, ("<html>" + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.getMessage())
        .startsWith("Upstream returned HTTP 502: <html>")
        .hasSizeLessThan(400);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void nonJsonSuccessIsAProtocolError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new OpenAiAdapter().fromUpstream("<html/>".getBytes(StandardCharsets.UTF_8), null))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
  }

  @Test
  void upstreamRequestCarriesTheKeyOrganizationExtraHeadersAndTheMappedModel() throws Exception {
    io.feathergate.core.Deployment deployment =
        new io.feathergate.core.Deployment(
            "d",
            "gpt-4o",
            "openai",
            "gpt-4o-2024-08-06",
            URI.create("http://127.0.0.1:9/v1"),
            io.feathergate.core.Secret.ofNullable("sk-up"),
            "org-1",
            java.time.Duration.ofSeconds(30),
            java.time.Duration.ofSeconds(5),
            0,
            null,
            java.util.Map.of(),
            java.util.Map.of("X-Team", "research"),
            false,
            io.feathergate.core.Http2Policy.OFF,
            null);
    io.feathergate.core.spi.ChatRequest request =
        new io.feathergate.core.spi.ChatRequest(
            (com.fasterxml.jackson.databind.node.ObjectNode)
                io.feathergate.wire.Json.MAPPER.readTree(
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[],\"x\":1}"),
            "gpt-4o",
            true,
            false,
            java.util.Map.of(),
            null);
    io.feathergate.core.spi.UpstreamRequest upstream =
        new OpenAiAdapter()
            .toUpstream(
                request, new io.feathergate.core.spi.Route(deployment, "gpt-4o-2024-08-06"));
    assertThat(upstream.uri()).hasToString("http://127.0.0.1:9/v1/chat/completions");
    assertThat(upstream.headers())
        .containsEntry("Authorization", "Bearer sk-up")
        .containsEntry("OpenAI-Organization", "org-1")
        .containsEntry("X-Team", "research")
        .containsEntry("Accept", "text/event-stream");
    assertThat(new String(upstream.body(), StandardCharsets.UTF_8))
        .contains("\"model\":\"gpt-4o-2024-08-06\"")
        .contains("\"x\":1");
    // a stream may stay silent for stream_timeout between reads and has no overall deadline
    assertThat(upstream.idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(upstream.deadline()).isNull();
  }

  @Test
  void anErrorGivenAsAPlainStringKeepsItsMessage() {
    GatewayException e =
        OpenAiErrors.fromUpstream(
            429, "{\"error\":\"Too many requests, slow down\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.getMessage()).isEqualTo("Too many requests, slow down");
    assertThat(e.type()).isEqualTo("rate_limit_error");
    assertThat(e.retryable()).isTrue();
  }

  /** An OpenAI-compatible provider is a table row: its endpoint and its parameter quirks. */
  static final ProviderSpec COMPATIBLE_ROW =
      new ProviderSpec(
          "compatible",
          "openai",
          URI.create("https://api.compatible.example/openai/v1"),
          List.of("COMPATIBLE_API_KEY"),
          List.of(),
          null,
          Set.of("logprobs"),
          Map.of("max_completion_tokens", "max_tokens"));

  static ChatRequest request(String extraFields) {
    return ChatRequests.parse(
        ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]"
                + extraFields
                + "}")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTableRowGivesTheDefaultEndpointAndTheParameterQuirks() throws Exception {
    OpenAiAdapter adapter = new OpenAiAdapter(COMPATIBLE_ROW);
    Deployment deployment = Deployment.builder("d", "g", "compatible", "llama").build();
    ChatRequest request = request(",\"max_completion_tokens\":5,\"unknown\":1");
    UpstreamRequest upstream = adapter.toUpstream(request, new Route(deployment, "llama"));
    assertThat(upstream.uri())
        .hasToString("https://api.compatible.example/openai/v1/chat/completions");
    JsonNode body = Json.MAPPER.readTree(upstream.body());
    assertThat(body.get("max_tokens").asInt()).isEqualTo(5);
    assertThat(body.has("max_completion_tokens")).isFalse();
    assertThat(body.get("unknown").asInt()).isEqualTo(1);
    assertThat(body.get("model").asText()).isEqualTo("llama");
    // the client's request stays as it came, for another attempt elsewhere
    assertThat(request.body().has("max_completion_tokens")).isTrue();

    ChatRequest refused = request(",\"logprobs\":true");
    assertThatThrownBy(() -> adapter.toUpstream(refused, new Route(deployment, "llama")))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("logprobs"));
    Deployment dropping = deployment.toBuilder().dropParams(true).build();
    JsonNode dropped =
        Json.MAPPER.readTree(adapter.toUpstream(refused, new Route(dropping, "llama")).body());
    assertThat(dropped.has("logprobs")).isFalse();
  }
}
