package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.IdSource;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.StreamContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One directory under {@code src/test/resources/golden/gemini/}: a client request, what the gateway
 * must send Gemini, what Gemini answers, and what the client must get back.
 *
 * <p>Files: {@code case.json} (optional: {@code upstreamModel}, {@code apiBase}, {@code apiKey},
 * {@code dropParams}, {@code extraHeaders}); {@code client_request.json}; {@code
 * expected_upstream_request.json} (the body) and {@code expected_upstream_target.json} ({@code
 * url}, {@code headers}); one of {@code upstream_response.json}, {@code upstream_response.sse},
 * {@code upstream_error.json} ({@code status}, {@code body}); then {@code
 * expected_client_response.json}, {@code expected_client_chunks.jsonl} (one chunk a line) and/or
 * {@code expected_error.json} ({@code status}, {@code type}, {@code code}, {@code message}, {@code
 * retryable}).
 */
record GoldenCase(Path dir, JsonNode settings) {
  static final Path ROOT = Path.of("src/test/resources/golden/gemini");
  static final ObjectMapper JSON = new ObjectMapper();
  static final long CREATED = 1_700_000_000L;

  static GoldenCase load(Path dir) {
    JsonNode settings =
        exists(dir, "case.json") ? json(dir.resolve("case.json")) : JSON.createObjectNode();
    return new GoldenCase(dir, settings);
  }

  String name() {
    return dir.getFileName().toString();
  }

  boolean has(String file) {
    return exists(dir, file);
  }

  JsonNode json(String file) {
    return json(dir.resolve(file));
  }

  byte[] bytes(String file) {
    try {
      return Files.readAllBytes(dir.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String upstreamModel() {
    return settings.path("upstreamModel").asText("gemini-2.5-flash");
  }

  ChatRequest clientRequest() {
    return ChatRequests.parse(bytes("client_request.json"));
  }

  Route route() {
    Map<String, String> extraHeaders = new LinkedHashMap<>();
    settings
        .path("extraHeaders")
        .fields()
        .forEachRemaining(h -> extraHeaders.put(h.getKey(), h.getValue().asText()));
    String apiBase = settings.path("apiBase").asText(null);
    Deployment deployment =
        new Deployment(
            "golden",
            "gemini-golden",
            "gemini",
            upstreamModel(),
            apiBase == null ? null : URI.create(apiBase),
            Secret.ofNullable(settings.path("apiKey").asText("test-gemini-key")),
            null,
            Duration.ofSeconds(60),
            Duration.ofSeconds(30),
            0,
            null,
            Map.of(),
            extraHeaders,
            settings.path("dropParams").asBoolean(false),
            io.feathergate.core.Http2Policy.OFF,
            null);
    return new Route(deployment, upstreamModel());
  }

  /** Ids and time fixed, so the expected files can name them: call_1, call_2, ... */
  StreamContext context(ChatRequest clientRequest) {
    return new StreamContext(clientRequest, upstreamModel(), "chatcmpl-golden", CREATED, counter());
  }

  static IdSource counter() {
    int[] next = {0};
    return () -> "call_" + (++next[0]);
  }

  private static boolean exists(Path dir, String file) {
    return Files.exists(dir.resolve(file));
  }

  private static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
