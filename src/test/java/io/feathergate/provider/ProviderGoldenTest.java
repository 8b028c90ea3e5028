package io.feathergate.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.UpstreamAuth;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.provider.azure.AzureAdapter;
import io.feathergate.provider.bedrock.BedrockAdapter;
import io.feathergate.provider.ollama.OllamaAdapter;
import io.feathergate.provider.openai.OpenAiAdapter;
import io.feathergate.provider.vertex.VertexAdapter;
import io.feathergate.transport.EventStreamDecoder;
import io.feathergate.transport.EventStreamDecoderTest;
import io.feathergate.transport.NdjsonDecoder;
import io.feathergate.transport.SseDecoder;
import io.feathergate.wire.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases of the enterprise providers and the OpenAI-compatible family, one directory each
 * under {@code src/test/resources/golden/<provider>/<case>/}:
 *
 * <ul>
 *   <li>{@code case.json}: the deployment ({@code upstreamModel}, {@code apiBase}, {@code apiKey},
 *       {@code settings}, {@code secrets}, {@code dropParams});
 *   <li>{@code client_request.json}; {@code expected_upstream_request.json} (the body) and {@code
 *       expected_upstream_target.json} (URL, headers, the credential to apply);
 *   <li>one of {@code upstream_response.json}, {@code upstream_response.sse}, {@code
 *       upstream_response.ndjson}, {@code upstream_events.jsonl} (Bedrock's event-stream messages,
 *       framed into binary here: {@code {"type":"event"|"exception","name":...,"data":{...}}}) or
 *       {@code upstream_error.json} ({@code status}, {@code headers}, {@code body});
 *   <li>{@code expected_client_response.json}, {@code expected_client_chunks.jsonl}, {@code
 *       expected_error.json}.
 * </ul>
 *
 * Every stream is also decoded split at every byte offset, and must give the same chunks.
 */
class ProviderGoldenTest {
  static final long CREATED = 1_700_000_000L;

  static final Map<String, Supplier<ProviderAdapter>> ADAPTERS = new LinkedHashMap<>();

  static {
    ADAPTERS.put("azure", () -> new AzureAdapter(ProviderTable.get("azure")));
    ADAPTERS.put("bedrock", () -> new BedrockAdapter(ProviderTable.get("bedrock")));
    ADAPTERS.put("vertex_ai", () -> new VertexAdapter(ProviderTable.get("vertex_ai")));
    ADAPTERS.put("ollama_chat", () -> new OllamaAdapter(ProviderTable.get("ollama_chat")));
    ADAPTERS.put("mistral", () -> new OpenAiAdapter(ProviderTable.get("mistral")));
  }

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> all = new ArrayList<>();
    for (String provider : ADAPTERS.keySet()) {
      GoldenFiles.cases(provider).forEach(name -> all.add(Arguments.of(provider, name)));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("cases")
  void goldenCase(String provider, String name) throws Exception {
    GoldenFiles files = GoldenFiles.of(provider, name);
    run(provider, ADAPTERS.get(provider).get(), files);
    files.assertAllSame();
  }

  private static JsonNode settings(GoldenFiles files) {
    return files.has("case.json") ? files.json("case.json") : Json.MAPPER.createObjectNode();
  }

  static Deployment deployment(String provider, JsonNode settings) {
    Map<String, String> values = new LinkedHashMap<>();
    settings
        .path("settings")
        .fields()
        .forEachRemaining(f -> values.put(f.getKey(), f.getValue().asText()));
    Map<String, Secret> secrets = new LinkedHashMap<>();
    settings
        .path("secrets")
        .fields()
        .forEachRemaining(f -> secrets.put(f.getKey(), Secret.ofNullable(f.getValue().asText())));
    String apiBase = settings.path("apiBase").asText(null);
    return Deployment.builder(
            "golden", "golden", provider, settings.path("upstreamModel").asText("model"))
        .apiBase(apiBase == null ? null : URI.create(apiBase))
        .apiKey(Secret.ofNullable(settings.path("apiKey").asText(null)))
        .dropParams(settings.path("dropParams").asBoolean(false))
        .settings(values)
        .secrets(secrets)
        .build();
  }

  private static void run(String provider, ProviderAdapter adapter, GoldenFiles files)
      throws Exception {
    JsonNode settings = settings(files);
    Deployment deployment = deployment(provider, settings);
    ChatRequest clientRequest = ChatRequests.parse(files.bytes("client_request.json"));
    UpstreamRequest upstream;
    try {
      upstream =
          adapter.toUpstream(clientRequest, new Route(deployment, deployment.upstreamModel()));
    } catch (GatewayException e) {
      files.compare("expected_error.json", error(e));
      return;
    }
    files.compare("expected_upstream_request.json", Json.MAPPER.readTree(upstream.body()));
    ObjectNode target = Json.MAPPER.createObjectNode();
    target.put("url", upstream.uri().toString());
    target.set("headers", Json.MAPPER.valueToTree(new TreeMap<>(upstream.headers())));
    target.put("stream", upstream.stream());
    target.put("auth", describe(upstream.auth()));
    files.compare("expected_upstream_target.json", target);
    int[] ids = {0};
    StreamContext context =
        new StreamContext(
            clientRequest,
            deployment.upstreamModel(),
            "chatcmpl-golden",
            CREATED,
            () -> "call_" + (++ids[0]));
    if (files.has("upstream_response.json")) {
      try {
        byte[] body = adapter.fromUpstream(files.bytes("upstream_response.json"), context).json();
        files.compare("expected_client_response.json", Json.MAPPER.readTree(body));
      } catch (GatewayException e) {
        files.compare("expected_error.json", error(e));
      }
    } else if (files.has("upstream_error.json")) {
      JsonNode error = files.json("upstream_error.json");
      Map<String, String> headers = new TreeMap<>();
      error
          .path("headers")
          .fields()
          .forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
      JsonNode body = error.path("body");
      files.compare(
          "expected_error.json",
          error(
              adapter.toError(
                  error.path("status").asInt(),
                  headers,
                  body.isTextual()
                      ? body.asText().getBytes(StandardCharsets.UTF_8)
                      : Json.bytes(body))));
    } else {
      byte[] stream;
      String kind;
      if (files.has("upstream_response.sse")) {
        stream = files.bytes("upstream_response.sse");
        kind = "sse";
      } else if (files.has("upstream_response.ndjson")) {
        stream = files.bytes("upstream_response.ndjson");
        kind = "ndjson";
      } else if (files.has("upstream_events.jsonl")) {
        stream = eventStream(files.bytes("upstream_events.jsonl"));
        kind = "eventstream";
      } else {
        files.problem("no upstream response, stream or error");
        return;
      }
      ids[0] = 0;
      Outcome whole = decode(adapter, context, kind, stream, stream.length);
      ArrayNode chunks = Json.MAPPER.createArrayNode();
      for (String chunk : whole.chunks()) {
        chunks.add(Json.MAPPER.readTree(chunk));
      }
      compareChunks(files, chunks, whole.chunks());
      if (whole.failure() != null || files.has("expected_error.json")) {
        files.compare(
            "expected_error.json",
            whole.failure() == null ? Json.MAPPER.nullNode() : error(whole.failure()));
      }
      for (int split = 1; split < stream.length; split++) {
        ids[0] = 0;
        Outcome part = decode(adapter, context, kind, stream, split);
        if (!part.chunks().equals(whole.chunks())) {
          files.problem("split at byte " + split + " gives other chunks");
          break;
        }
      }
    }
  }

  private static String describe(UpstreamAuth auth) {
    if (auth == null) {
      return null;
    }
    if (auth instanceof UpstreamAuth.AwsSigV4 aws) {
      return "SigV4 " + aws.accessKeyId() + " " + aws.region() + " " + aws.service();
    }
    UpstreamAuth.TokenGrant grant = ((UpstreamAuth.OAuthToken) auth).grant();
    if (grant instanceof UpstreamAuth.ClientCredentials client) {
      return "client credentials "
          + client.clientId()
          + " at "
          + client.tokenUri()
          + " for "
          + client.scope();
    }
    UpstreamAuth.ServiceAccountJwt account = (UpstreamAuth.ServiceAccountJwt) grant;
    return "service account "
        + account.clientEmail()
        + " at "
        + account.tokenUri()
        + " for "
        + account.scope();
  }

  /** Bedrock's messages, framed as AWS frames them. */
  static byte[] eventStream(byte[] jsonl) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String line : new String(jsonl, StandardCharsets.UTF_8).lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode message = Json.readOrNull(line.getBytes(StandardCharsets.UTF_8));
      String type = message.path("type").asText("event");
      out.writeBytes(
          EventStreamDecoderTest.message(
              type,
              type.equals("event") ? ":event-type" : ":exception-type",
              message.path("name").asText(),
              Json.text(message.path("data"))));
    }
    return out.toByteArray();
  }

  record Outcome(List<String> chunks, GatewayException failure) {}

  private static Outcome decode(
      ProviderAdapter adapter, StreamContext context, String kind, byte[] bytes, int split) {
    StreamDecoder decoder = adapter.newStreamDecoder(context);
    List<String> out = new ArrayList<>();
    Consumer<SseEvent> sink = e -> decoder.onEvent(e, out);
    try {
      switch (kind) {
        case "sse" -> {
          SseDecoder frames = new SseDecoder(1 << 20);
          frames.feed(ByteBuffer.wrap(bytes, 0, split), sink);
          frames.feed(ByteBuffer.wrap(bytes, split, bytes.length - split), sink);
          frames.finish(sink);
        }
        case "ndjson" -> {
          NdjsonDecoder frames = new NdjsonDecoder(1 << 20);
          frames.feed(ByteBuffer.wrap(bytes, 0, split), sink);
          frames.feed(ByteBuffer.wrap(bytes, split, bytes.length - split), sink);
          frames.finish(sink);
        }
        default -> {
          EventStreamDecoder frames = new EventStreamDecoder(1 << 20);
          frames.feed(ByteBuffer.wrap(bytes, 0, split), sink);
          frames.feed(ByteBuffer.wrap(bytes, split, bytes.length - split), sink);
          frames.finish(sink);
        }
      }
      decoder.onEnd(out);
      return new Outcome(out, null);
    } catch (GatewayException e) {
      return new Outcome(out, e);
    }
  }

  private static void compareChunks(GoldenFiles files, ArrayNode actual, List<String> chunks)
      throws Exception {
    String file = "expected_client_chunks.jsonl";
    ArrayNode expected = Json.MAPPER.createArrayNode();
    if (files.has(file)) {
      for (String line : new String(files.bytes(file), StandardCharsets.UTF_8).lines().toList()) {
        if (!line.isBlank()) {
          expected.add(Json.MAPPER.readTree(line));
        }
      }
    }
    if (!files.has(file) || !expected.equals(actual)) {
      files.differs(file, String.join("\n", chunks) + "\n");
    }
  }

  static ObjectNode error(GatewayException e) {
    ObjectNode error = Json.MAPPER.createObjectNode();
    error.put("status", e.status());
    error.put("type", e.type());
    error.put("code", e.code());
    error.put("param", e.param());
    error.put("message", e.getMessage());
    error.put("retryable", e.retryable());
    return error;
  }
}
