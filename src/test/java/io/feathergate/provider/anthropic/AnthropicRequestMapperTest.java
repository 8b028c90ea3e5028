package io.feathergate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicRequestMapperTest {
  private final AnthropicAdapter adapter = new AnthropicAdapter();

  private JsonNode upstreamBody(String clientJson) {
    return upstreamBody(clientJson, AnthropicTesting.deployment());
  }

  private JsonNode upstreamBody(String clientJson, Deployment deployment) {
    UpstreamRequest request =
        adapter.toUpstream(
            AnthropicTesting.request(clientJson),
            AnthropicTesting.route(deployment, "claude-sonnet-4-5"));
    try {
      return Json.MAPPER.readTree(request.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String withMessages(String messages, String extra) {
    return "{\"model\":\"claude\",\"messages\":" + messages + extra + "}";
  }

  private static String user(String content) {
    return withMessages("[{\"role\":\"user\",\"content\":" + content + "}]", "");
  }

  private void assertRefused(String clientJson, String param, String messagePart) {
    assertThatThrownBy(() -> upstreamBody(clientJson))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo(param);
              assertThat(e.getMessage()).contains(messagePart);
              assertThat(e.retryable()).isFalse();
            });
  }

  @Test
  void messagesUrlFromEveryFormOfApiBase() {
    assertThat(AnthropicEndpoint.messagesUri(ProviderTable.get("anthropic").defaultApiBase()))
        .hasToString("https://api.anthropic.com/v1/messages");
    assertThat(AnthropicEndpoint.messagesUri(URI.create("http://h:8080")))
        .hasToString("http://h:8080/v1/messages");
    assertThat(AnthropicEndpoint.messagesUri(URI.create("http://h:8080/v1")))
        .hasToString("http://h:8080/v1/messages");
    assertThat(
            AnthropicEndpoint.messagesUri(URI.create("https://gw.example/anthropic/v1/messages/")))
        .hasToString("https://gw.example/anthropic/v1/messages");
  }

  @Test
  void noKeyMeansNoKeyHeaderAndTheDeploymentsHeadersWin() {
    Deployment keyless =
        new Deployment(
            "d",
            "claude",
            "anthropic",
            "claude-sonnet-4-5",
            null,
            null,
            null,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            0,
            null,
            Map.of(),
            Map.of("anthropic-version", "2024-01-01"),
            false,
            io.feathergate.core.Http2Policy.OFF,
            null);
    ChatRequest request = AnthropicTesting.request(user("\"x\""));
    Map<String, String> headers = AnthropicEndpoint.headers(keyless, request);
    assertThat(headers)
        .doesNotContainKey("x-api-key")
        .containsEntry("anthropic-version", "2024-01-01");
    UpstreamRequest upstream =
        adapter.toUpstream(request, AnthropicTesting.route(keyless, "claude-sonnet-4-5"));
    assertThat(upstream.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(upstream.deadline()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theClientsRequestIsNotChangedEvenWhenParametersAreDropped() {
    ChatRequest request =
        AnthropicTesting.request(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"x\"}]", ",\"seed\":1,\"stop\":[\" \"]"));
    String before = request.body().toString();
    adapter.toUpstream(
        request, AnthropicTesting.route(AnthropicTesting.deployment(null, true, Map.of()), "m"));
    assertThat(request.body().toString()).isEqualTo(before);
  }

  @Test
  void harmlessDefaultsOfUnsupportedParametersAreAccepted() {
    JsonNode body =
        upstreamBody(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"x\"}]",
                ",\"n\":1,\"logprobs\":false,\"store\":false,\"presence_penalty\":null"));
    assertThat(body.has("n")).isFalse();
    assertThat(body.has("logprobs")).isFalse();
    assertThat(body.has("store")).isFalse();
    assertRefused(withMessages("[{\"role\":\"user\",\"content\":\"x\"}]", ",\"n\":2"), "n", "'n'");
    assertRefused(
        withMessages("[{\"role\":\"user\",\"content\":\"x\"}]", ",\"logprobs\":true"),
        "logprobs",
        "drop_params");
  }

  @Test
  void whitespaceStopSequenceIsA400UnlessDropped() {
    assertRefused(
        withMessages("[{\"role\":\"user\",\"content\":\"x\"}]", ",\"stop\":[\"\\n\"]"),
        "stop",
        "whitespace");
    JsonNode dropped =
        upstreamBody(
            withMessages("[{\"role\":\"user\",\"content\":\"x\"}]", ",\"stop\":\" \""),
            AnthropicTesting.deployment(null, true, Map.of()));
    assertThat(dropped.has("stop_sequences")).isFalse();
  }

  @Test
  void userIdSkipsWhatLooksLikeAnEmailOrPhoneNumber() {
    assertThat(AnthropicRequestMapper.userId(AnthropicTesting.json("{\"user\":\"a@b.co\"}")))
        .isNull();
    assertThat(
            AnthropicRequestMapper.userId(
                AnthropicTesting.json("{\"user\":\"+1 (415) 555-0100\"}")))
        .isNull();
    assertThat(
            AnthropicRequestMapper.userId(
                AnthropicTesting.json("{\"user\":\"a@b.co\",\"safety_identifier\":\"hash-42\"}")))
        .isEqualTo("hash-42");
    assertThat(AnthropicRequestMapper.userId(AnthropicTesting.json("{\"user\":\"2024\"}")))
        .isEqualTo("2024");
  }

  @Test
  void reasoningEffortBecomesAThinkingBudget() {
    JsonNode low =
        upstreamBody(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"x\"}]", ",\"reasoning_effort\":\"low\""));
    assertThat(low.at("/thinking/budget_tokens").asInt()).isEqualTo(1024);
    assertThat(low.get("max_tokens").asInt()).isEqualTo(4096 + 1024);
    JsonNode high =
        upstreamBody(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"x\"}]",
                ",\"reasoning_effort\":\"high\",\"max_tokens\":20000"));
    assertThat(high.at("/thinking/budget_tokens").asInt()).isEqualTo(4096);
    assertThat(high.get("max_tokens").asInt()).isEqualTo(20000);
    JsonNode none =
        upstreamBody(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"x\"}]", ",\"reasoning_effort\":\"none\""));
    assertThat(none.has("thinking")).isFalse();
    assertRefused(
        withMessages(
            "[{\"role\":\"user\",\"content\":\"x\"}]", ",\"reasoning_effort\":\"extreme\""),
        "reasoning_effort",
        "extreme");
  }

  @Test
  void toolResultsComeFirstInAMergedUserTurnAndKeepTheirParts() {
    JsonNode body =
        upstreamBody(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"go\"},"
                    + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}},"
                    + "{\"id\":\"t2\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{\"k\":1}}}]},"
                    + "{\"role\":\"user\",\"content\":\"also this\"},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":[{\"type\":\"text\",\"text\":\"one\"}]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"t2\",\"content\":\"\",\"cache_control\":{\"type\":\"ephemeral\"}}]",
                ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]"));
    JsonNode assistant = body.at("/messages/1/content");
    assertThat(assistant.get(0).get("input")).isEqualTo(Json.MAPPER.createObjectNode());
    assertThat(assistant.get(1).at("/input/k").asInt()).isEqualTo(1);
    JsonNode turn = body.at("/messages/2/content");
    assertThat(body.get("messages")).hasSize(3);
    assertThat(turn.get(0).get("tool_use_id").asText()).isEqualTo("t1");
    assertThat(turn.get(0).at("/content/0/text").asText()).isEqualTo("one");
    assertThat(turn.get(1).get("tool_use_id").asText()).isEqualTo("t2");
    assertThat(turn.get(1).has("content")).isFalse();
    assertThat(turn.get(1).at("/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(turn.get(2).get("text").asText()).isEqualTo("also this");
  }

  @Test
  void toolCallArgumentsMustBeAJsonObject() {
    String assistant =
        "[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1,2]\"}}]}]";
    assertRefused(
        withMessages(assistant, ""), "messages[1].tool_calls[0].function.arguments", "JSON object");
    assertRefused(
        withMessages(
            "[{\"role\":\"assistant\",\"tool_calls\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}]",
            ""),
        "messages[0].tool_calls[0].id",
        "id");
    assertRefused(
        withMessages(
            "[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t\",\"function\":{}}]}]", ""),
        "messages[0].tool_calls[0].function.name",
        "name");
    assertRefused(
        withMessages("[{\"role\":\"tool\",\"content\":\"x\"}]", ""),
        "messages[0].tool_call_id",
        "tool_call_id");
  }

  @Test
  void rolesAndPartsAnthropicCannotTakeAre400s() {
    assertRefused(
        withMessages("[{\"role\":\"function\",\"name\":\"f\",\"content\":\"x\"}]", ""),
        "messages[0].role",
        "function");
    assertRefused(
        user("[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"x\",\"format\":\"wav\"}}]"),
        "messages[0].content[0].type",
        "input_audio");
    assertRefused(user("42"), "messages[0].content", "content parts");
    assertRefused(
        withMessages(
            "[{\"role\":\"system\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]},{\"role\":\"user\",\"content\":\"x\"}]",
            ""),
        "messages[0].content[0].type",
        "text only");
    assertRefused(
        withMessages("[{\"role\":\"system\",\"content\":\"only a system prompt\"}]", ""),
        "messages",
        "at least one");
  }

  @Test
  void imagesAndFilesNeedUsableUrls() {
    assertRefused(
        user("[{\"type\":\"image_url\",\"image_url\":{\"url\":\"ftp://x/y.png\"}}]"),
        "messages[0].content[0].image_url.url",
        "http(s)");
    assertRefused(
        user("[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png,raw\"}}]"),
        "messages[0].content[0].image_url.url",
        "base64");
    assertRefused(
        user("[{\"type\":\"image_url\",\"image_url\":{}}]"),
        "messages[0].content[0].image_url.url",
        "image_url.url");
    assertRefused(
        user("[{\"type\":\"file\",\"file\":{\"file_id\":\"file-123\"}}]"),
        "messages[0].content[0].file",
        "file ids");
    JsonNode body =
        upstreamBody(
            user(
                "[{\"type\":\"file\",\"file\":{\"file_data\":\"data:application/pdf;base64,JVBERi0=\"},\"cache_control\":{\"type\":\"ephemeral\"}},"
                    + "{\"type\":\"image_url\",\"image_url\":\"data:image/JPEG;charset=x;base64,/9j/\"}]"));
    JsonNode document = body.at("/messages/0/content/0");
    assertThat(document.get("type").asText()).isEqualTo("document");
    assertThat(document.at("/source/media_type").asText()).isEqualTo("application/pdf");
    assertThat(document.at("/source/data").asText()).isEqualTo("JVBERi0=");
    assertThat(document.at("/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(body.at("/messages/0/content/1/source/media_type").asText()).isEqualTo("image/jpeg");
  }

  @Test
  void toolsAnthropicCannotTakeAre400sAndItsOwnPassThrough() {
    assertRefused(
        user("\"x\"")
            .replace("}]}", "}],\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"g\"}}]}"),
        "tools[0].type",
        "custom");
    assertRefused(
        user("\"x\"").replace("}]}", "}],\"tools\":[{\"type\":\"function\",\"function\":{}}]}"),
        "tools[0].function.name",
        "name");
    assertRefused(
        user("\"x\"")
            .replace(
                "}]}",
                "}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"sometimes\"}"),
        "tool_choice",
        "sometimes");
    assertRefused(
        user("\"x\"")
            .replace(
                "}]}",
                "}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"allowed_tools\",\"allowed_tools\":{}}}"),
        "tool_choice",
        "tool_choice");
    JsonNode body =
        upstreamBody(
            user("\"x\"")
                .replace(
                    "}]}",
                    "}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"properties\":{\"a\":{\"type\":\"string\"}}},\"strict\":true},\"cache_control\":{\"type\":\"ephemeral\"}}]}"));
    JsonNode tool = body.at("/tools/0");
    assertThat(tool.at("/input_schema/type").asText()).isEqualTo("object");
    assertThat(tool.at("/input_schema/properties/a/type").asText()).isEqualTo("string");
    assertThat(tool.has("strict")).isFalse();
    assertThat(tool.at("/cache_control/type").asText()).isEqualTo("ephemeral");
  }

  @Test
  void toolChoiceWithoutToolsIsLeftOut() {
    JsonNode body =
        upstreamBody(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"x\"}]",
                ",\"tool_choice\":\"auto\",\"parallel_tool_calls\":false"));
    assertThat(body.has("tool_choice")).isFalse();
    assertThat(body.has("tools")).isFalse();
  }

  @Test
  void responseFormatTextChangesNothingAndUnknownTypesAre400s() {
    JsonNode body =
        upstreamBody(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"x\"}]",
                ",\"response_format\":{\"type\":\"text\"}"));
    assertThat(body.has("tools")).isFalse();
    assertRefused(
        withMessages(
            "[{\"role\":\"user\",\"content\":\"x\"}]", ",\"response_format\":{\"type\":\"yaml\"}"),
        "response_format.type",
        "yaml");
    JsonNode noSchema =
        upstreamBody(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"x\"}]",
                ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"n\"}}"));
    assertThat(noSchema.at("/tools/0/input_schema/additionalProperties").asBoolean()).isTrue();
    assertThat(noSchema.at("/tool_choice/name").asText()).isEqualTo(JsonMode.TOOL_NAME);
  }

  @Test
  void emptyAssistantTurnsAreLeftOutSoTheRolesStillAlternate() {
    JsonNode body =
        upstreamBody(
            withMessages(
                "[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":null},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"b\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]",
                ""));
    assertThat(body.get("messages")).hasSize(1);
    assertThat(body.at("/messages/0/content/1/cache_control/type").asText()).isEqualTo("ephemeral");
  }

  @Test
  void systemMessageCacheControlMarksItsBlock() {
    JsonNode body =
        upstreamBody(
            withMessages(
                "[{\"role\":\"system\",\"content\":\"Long prompt\",\"cache_control\":{\"type\":\"ephemeral\"}},{\"role\":\"user\",\"content\":\"x\"}]",
                ""));
    assertThat(body.at("/system/0/text").asText()).isEqualTo("Long prompt");
    assertThat(body.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
  }
}
