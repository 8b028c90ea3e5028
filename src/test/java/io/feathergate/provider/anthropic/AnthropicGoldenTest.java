package io.feathergate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.provider.GoldenFiles;
import io.feathergate.wire.ErrorBody;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden cases under {@code src/test/resources/golden/anthropic/<case>/}: a client request, the
 * upstream request it must become, an upstream answer (JSON, an event stream or an error) and what
 * the client must get back. Optional {@code case.json} sets the deployment ({@code api_base},
 * {@code drop_params}, {@code extra_headers}, {@code upstream_model}), {@code client_headers}, and
 * {@code refused: true} for a request the gateway itself must refuse.
 *
 * <p>A mismatch writes the actual value under {@code target/golden-actual/anthropic/} ({@link
 * GoldenFiles}).
 */
class AnthropicGoldenTest {
  private final AnthropicAdapter adapter = new AnthropicAdapter();

  static Stream<String> cases() throws IOException {
    return GoldenFiles.cases("anthropic");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void goldenCase(String name) throws Exception {
    GoldenFiles files = GoldenFiles.of("anthropic", name);
    Path dir = files.dir();
    JsonNode config =
        Files.exists(dir.resolve("case.json"))
            ? read(dir.resolve("case.json"))
            : Json.MAPPER.createObjectNode();
    ChatRequest clientRequest =
        AnthropicTesting.request(
                new String(
                    Files.readAllBytes(dir.resolve("client_request.json")), StandardCharsets.UTF_8))
            .withClientHeaders(strings(config.path("client_headers")));
    String clientBefore = clientRequest.body().toString();
    Deployment deployment =
        AnthropicTesting.deployment(
            config.hasNonNull("api_base") ? URI.create(config.get("api_base").asText()) : null,
            config.path("drop_params").asBoolean(false),
            strings(config.path("extra_headers")));
    String upstreamModel = config.path("upstream_model").asText("claude-sonnet-4-5");
    boolean anyOutcome = false;

    if (config.path("refused").asBoolean(false)) {
      try {
        adapter.toUpstream(clientRequest, AnthropicTesting.route(deployment, upstreamModel));
        fail("the request should have been refused before reaching Anthropic");
      } catch (GatewayException e) {
        files.compare("expected_client_error.json", errorJson(e));
      }
      files.assertAllSame();
      return;
    }
    if (Files.exists(dir.resolve("expected_upstream_request.json"))
        || !Files.exists(dir.resolve("upstream_error.json"))) {
      UpstreamRequest upstream =
          adapter.toUpstream(clientRequest, AnthropicTesting.route(deployment, upstreamModel));
      ObjectNode actual = Json.MAPPER.createObjectNode();
      actual.put("url", upstream.uri().toString());
      actual.set("headers", Json.MAPPER.valueToTree(upstream.headers()));
      actual.set("body", Json.MAPPER.readTree(upstream.body()));
      files.compare("expected_upstream_request.json", actual);
      assertThat(upstream.stream()).isEqualTo(clientRequest.stream());
      assertThat(clientRequest.body().toString())
          .as("the client's request is left as it was")
          .isEqualTo(clientBefore);
      anyOutcome = true;
    }

    StreamContext context = AnthropicTesting.context(clientRequest);
    if (Files.exists(dir.resolve("upstream_response.json"))) {
      JsonNode actual =
          Json.MAPPER.readTree(
              adapter
                  .fromUpstream(Files.readAllBytes(dir.resolve("upstream_response.json")), context)
                  .json());
      files.compare("expected_client_response.json", actual);
      anyOutcome = true;
    }
    if (Files.exists(dir.resolve("upstream_response.sse"))) {
      List<String> events =
          AnthropicTesting.clientEvents(
              context, Files.readAllBytes(dir.resolve("upstream_response.sse")));
      assertStream(files, events);
      anyOutcome = true;
    }
    if (Files.exists(dir.resolve("upstream_error.json"))) {
      JsonNode recorded = read(dir.resolve("upstream_error.json"));
      JsonNode body = recorded.get("body");
      byte[] bytes =
          body.isTextual()
              ? body.asText().getBytes(StandardCharsets.UTF_8)
              : Json.MAPPER.writeValueAsBytes(body);
      GatewayException e =
          adapter.toError(
              recorded.get("status_code").asInt(), strings(recorded.path("headers")), bytes);
      files.compare("expected_client_error.json", errorJson(e));
      anyOutcome = true;
    }
    assertThat(anyOutcome).as("case %s checks nothing", name).isTrue();
    files.assertAllSame();
  }

  private static ObjectNode errorJson(GatewayException e) {
    ObjectNode error = Json.MAPPER.createObjectNode();
    error.put("status", e.status());
    error.put("retryable", e.retryable());
    error.set("body", ErrorBody.toNode(e.getMessage(), e.type(), e.param(), e.code()));
    return error;
  }

  /** {@code expected_client_stream.txt}: the client's SSE bytes; chunks compare as JSON. */
  private static void assertStream(GoldenFiles files, List<String> events) throws IOException {
    StringBuilder actualText = new StringBuilder();
    for (String event : events) {
      actualText.append("data: ").append(event).append("\n\n");
    }
    String file = "expected_client_stream.txt";
    List<String> expected = new ArrayList<>();
    if (files.has(file)) {
      for (String frame : new String(files.bytes(file), StandardCharsets.UTF_8).split("\n\n")) {
        if (!frame.isBlank()) {
          expected.add(frame.strip().substring("data: ".length()));
        }
      }
    }
    boolean same = expected.size() == events.size();
    for (int i = 0; same && i < events.size(); i++) {
      same =
          events.get(i).equals("[DONE]")
              ? expected.get(i).equals("[DONE]")
              : sameJson(events.get(i), expected.get(i));
    }
    if (!same) {
      files.differs(file, actualText.toString());
    }
  }

  private static boolean sameJson(String a, String b) {
    try {
      return Json.MAPPER.readTree(a).equals(Json.MAPPER.readTree(b));
    } catch (IOException e) {
      return false;
    }
  }

  private static JsonNode read(Path path) throws IOException {
    return Json.MAPPER.readTree(Files.readAllBytes(path));
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      map.put(field.getKey(), field.getValue().asText());
    }
    return map;
  }
}
