package io.feathergate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The OpenAI-compatible family: each a row of the table, its quirks handled by the adapter. */
class CompatibleProvidersTest {

  static Stream<ProviderSpec> compatibleRows() {
    return ProviderTable.ROWS.stream().filter(r -> r.protocol().equals(ProviderTable.OPENAI));
  }

  static ChatRequest request(String json) {
    return ChatRequests.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static UpstreamRequest send(String provider, String model, String json) {
    return send(provider, model, json, false);
  }

  static UpstreamRequest send(String provider, String model, String json, boolean dropParams) {
    Deployment deployment =
        Deployment.builder("d", "g", provider, model)
            .apiKey(Secret.ofNullable("key-of-" + provider))
            .apiBase(
                ProviderTable.get(provider).defaultApiBase() == null
                    ? URI.create("http://127.0.0.1:8000/v1")
                    : null)
            .dropParams(dropParams)
            .build();
    return new OpenAiAdapter(ProviderTable.get(provider))
        .toUpstream(request(json), new Route(deployment, model));
  }

  static JsonNode body(UpstreamRequest request) {
    return Json.readOrNull(request.body());
  }

  static final String HELLO =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

  @ParameterizedTest(name = "{0}")
  @MethodSource("compatibleRows")
  void everyRowSendsAPlainRequestToItsEndpointWithItsKey(ProviderSpec row) {
    UpstreamRequest upstream = send(row.name(), "some-model", HELLO + "}");
    URI base =
        row.defaultApiBase() == null
            ? URI.create("http://127.0.0.1:8000/v1")
            : row.defaultApiBase();
    assertThat(upstream.uri()).hasToString(base + "/chat/completions");
    assertThat(upstream.headers()).containsEntry("Authorization", "Bearer key-of-" + row.name());
    assertThat(body(upstream).path("messages").get(0).path("content").asText()).isEqualTo("Hi");
    assertThat(row.keyVariables()).isNotEmpty();
    assertThat(row.baseVariables()).isNotEmpty();
  }

  @Test
  void theFamilyIsInTheTable() {
    assertThat(compatibleRows().map(ProviderSpec::name))
        .contains(
            "groq",
            "mistral",
            "deepseek",
            "together_ai",
            "fireworks_ai",
            "openrouter",
            "xai",
            "perplexity",
            "cerebras",
            "deepinfra",
            "nvidia_nim",
            "sambanova",
            "hosted_vllm",
            "lm_studio",
            "litellm_proxy");
    assertThat(ProviderTable.get("deepseek").defaultApiBase())
        .hasToString("https://api.deepseek.com/beta");
    assertThat(ProviderTable.get("perplexity").defaultApiBase())
        .hasToString("https://api.perplexity.ai");
  }

  @Test
  void mistralGetsItsOwnNamesAndShapes() {
    JsonNode body =
        body(
            send(
                "mistral",
                "mistral-large-latest",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                    + "\"max_completion_tokens\":50,\"seed\":7,\"tool_choice\":\"required\","
                    + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                    + "\"messages\":[{\"role\":\"user\",\"name\":\"ann\",\"content\":"
                    + "[{\"type\":\"text\",\"text\":\"Hel\"},{\"type\":\"text\",\"text\":\"lo\"}]}]}"));
    assertThat(body.get("max_tokens").asInt()).isEqualTo(50);
    assertThat(body.has("max_completion_tokens")).isFalse();
    assertThat(body.get("random_seed").asInt()).isEqualTo(7);
    assertThat(body.has("seed")).isFalse();
    assertThat(body.get("tool_choice").asText()).isEqualTo("any");
    assertThat(body.has("stream_options")).isFalse();
    JsonNode message = body.path("messages").get(0);
    assertThat(message.has("name")).isFalse();
    assertThat(message.get("content").asText()).isEqualTo("Hello");
  }

  @Test
  void aClientRequestIsNeverChangedByTheQuirks() {
    ChatRequest request =
        request(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"name\":\"ann\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Hi\"}]}],\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"strict\":true}}]}");
    String before = Json.text(request.body());
    for (String provider : List.of("mistral", "xai", "sambanova")) {
      Deployment deployment = Deployment.builder("d", "g", provider, "m").build();
      new OpenAiAdapter(ProviderTable.get(provider))
          .toUpstream(request, new Route(deployment, "m"));
    }
    assertThat(Json.text(request.body())).isEqualTo(before);
  }

  @Test
  void imagesKeepTheirContentList() {
    JsonNode body =
        body(
            send(
                "sambanova",
                "Llama-4",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                    + "\"text\":\"What?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
                    + "\"data:image/png;base64,AAAA\"}}]}]}"));
    assertThat(body.at("/messages/0/content").isArray()).isTrue();
  }

  @Test
  void mistralRefusesWhatItDoesNotKnowUnlessDropped() {
    String json = HELLO + ",\"logprobs\":true}";
    assertThatThrownBy(() -> send("mistral", "m", json))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo("logprobs");
            });
    assertThat(body(send("mistral", "m", json, true)).has("logprobs")).isFalse();
  }

  @Test
  void perplexityTakesNoTools() {
    String json = HELLO + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}";
    assertThatThrownBy(() -> send("perplexity", "sonar", json))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("tools"));
  }

  @Test
  void fireworksModelsLiveUnderTheirAccount() {
    assertThat(
            body(send("fireworks_ai", "llama-v3p1-8b-instruct", HELLO + "}")).get("model").asText())
        .isEqualTo("accounts/fireworks/models/llama-v3p1-8b-instruct");
    assertThat(
            body(send("fireworks_ai", "accounts/me/models/mine", HELLO + "}"))
                .get("model")
                .asText())
        .isEqualTo("accounts/me/models/mine");
    assertThat(
            body(send("fireworks_ai", "m", HELLO + ",\"tool_choice\":\"required\"}"))
                .get("tool_choice")
                .asText())
        .isEqualTo("any");
  }

  @Test
  void deepinfraTakesAutoOrNoneOnly() {
    assertThat(
            body(send("deepinfra", "m", HELLO + ",\"tool_choice\":\"none\"}"))
                .get("tool_choice")
                .asText())
        .isEqualTo("none");
    String required = HELLO + ",\"tool_choice\":\"required\"}";
    assertThatThrownBy(() -> send("deepinfra", "m", required))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("tool_choice"));
    assertThat(body(send("deepinfra", "m", required, true)).has("tool_choice")).isFalse();
  }

  @Test
  void togetherDropsAPlainTextResponseFormat() {
    assertThat(
            body(send("together_ai", "m", HELLO + ",\"response_format\":{\"type\":\"text\"}}"))
                .has("response_format"))
        .isFalse();
    assertThat(
            body(send(
                    "together_ai", "m", HELLO + ",\"response_format\":{\"type\":\"json_object\"}}"))
                .has("response_format"))
        .isTrue();
  }

  @Test
  void xaiLosesStrictAndGetsAFinishReason() {
    JsonNode body =
        body(
            send(
                "xai",
                "grok-4",
                HELLO
                    + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strict\":true}}]}"));
    assertThat(body.at("/tools/0/function").has("strict")).isFalse();
    OpenAiAdapter adapter = new OpenAiAdapter(ProviderTable.get("xai"));
    List<String> out = new ArrayList<>();
    adapter
        .newStreamDecoder(null)
        .onEvent(
            new SseEvent(
                null,
                "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"\"}]}",
                null),
            out);
    assertThat(
            Json.readOrNull(out.get(0).getBytes(StandardCharsets.UTF_8))
                .at("/choices/0/finish_reason")
                .asText())
        .isEqualTo("tool_calls");
  }

  @Test
  void openRouterReasoningReadsAsReasoningContent() {
    OpenAiAdapter adapter = new OpenAiAdapter(ProviderTable.get("openrouter"));
    List<String> out = new ArrayList<>();
    adapter
        .newStreamDecoder(null)
        .onEvent(
            new SseEvent(
                null,
                "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"hmm\"}}]}",
                null),
            out);
    assertThat(out.get(0))
        .contains("\"reasoning_content\":\"hmm\"")
        .doesNotContain("\"reasoning\"");
    byte[] whole =
        adapter
            .fromUpstream(
                ("{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"4\",\"reasoning\":\"2+2\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}")
                    .getBytes(StandardCharsets.UTF_8),
                null)
            .json();
    assertThat(new String(whole, StandardCharsets.UTF_8)).contains("\"reasoning_content\":\"2+2\"");
    // a provider without the quirk relays the answer byte for byte
    byte[] plain =
        "{\"choices\":[{\"message\":{\"reasoning\":\"r\"}}]}".getBytes(StandardCharsets.UTF_8);
    assertThat(new OpenAiAdapter(ProviderTable.get("groq")).fromUpstream(plain, null).json())
        .isSameAs(plain);
  }
}
