package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.provider.GoldenFiles;
import io.feathergate.transport.SseDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden case: the request the gateway builds, and the answer, stream or error the client
 * gets, compared as JSON with the reviewed files of the case. A missing expected file fails the
 * case and leaves what the code produced in {@code target/golden-actual/gemini/} ({@link
 * GoldenFiles}) for review.
 */
class GeminiGoldenTest {
  private final GeminiAdapter adapter = new GeminiAdapter();

  static Stream<String> cases() throws IOException {
    return GoldenFiles.cases("gemini");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void goldenCase(String name) throws Exception {
    GoldenFiles files = GoldenFiles.of("gemini", name);
    run(GoldenCase.load(files.dir()), files);
    files.assertAllSame();
  }

  private void run(GoldenCase golden, GoldenFiles files) throws Exception {
    ChatRequest clientRequest = golden.clientRequest();
    ObjectNode outcome = GoldenCase.JSON.createObjectNode();
    UpstreamRequest upstreamRequest;
    try {
      upstreamRequest = adapter.toUpstream(clientRequest, golden.route());
    } catch (GatewayException e) {
      files.compare("expected_error.json", error(e));
      if (golden.has("upstream_response.json") || golden.has("upstream_response.sse")) {
        files.problem("the request was refused, yet the case has an upstream response");
      }
      return;
    }
    files.compare(
        "expected_upstream_request.json", GoldenCase.JSON.readTree(upstreamRequest.body()));
    if (golden.has("expected_upstream_target.json")) {
      ObjectNode target = outcome.objectNode();
      target.put("url", upstreamRequest.uri().toString());
      target.set("headers", GoldenCase.JSON.valueToTree(upstreamRequest.headers()));
      target.put("stream", upstreamRequest.stream());
      files.compare("expected_upstream_target.json", target);
    }
    StreamContext context = golden.context(clientRequest);
    if (golden.has("upstream_response.json")) {
      try {
        byte[] body = adapter.fromUpstream(golden.bytes("upstream_response.json"), context).json();
        files.compare("expected_client_response.json", GoldenCase.JSON.readTree(body));
      } catch (GatewayException e) {
        files.compare("expected_error.json", error(e));
      }
    } else if (golden.has("upstream_response.sse")) {
      List<String> chunks = new ArrayList<>();
      GatewayException failure =
          decode(golden.bytes("upstream_response.sse"), adapter.newStreamDecoder(context), chunks);
      compareChunks(golden, chunks, files);
      if (failure != null || golden.has("expected_error.json")) {
        files.compare(
            "expected_error.json", failure == null ? GoldenCase.JSON.nullNode() : error(failure));
      }
    } else if (golden.has("upstream_error.json")) {
      JsonNode upstreamError = golden.json("upstream_error.json");
      GatewayException e =
          adapter.toError(
              upstreamError.get("status").asInt(),
              Map.of(),
              upstreamError.get("body").isTextual()
                  ? upstreamError.get("body").asText().getBytes(StandardCharsets.UTF_8)
                  : GoldenCase.JSON.writeValueAsBytes(upstreamError.get("body")));
      files.compare("expected_error.json", error(e));
    } else {
      files.problem("no upstream_response.json, upstream_response.sse or upstream_error.json");
    }
  }

  /** Runs a recorded stream through the transport's SSE decoder and the Gemini decoder. */
  static GatewayException decode(byte[] sse, StreamDecoder decoder, List<String> chunks) {
    SseDecoder frames = new SseDecoder(1 << 20);
    List<SseEvent> events = new ArrayList<>();
    frames.feed(ByteBuffer.wrap(sse), events::add);
    frames.finish(events::add);
    try {
      for (SseEvent event : events) {
        decoder.onEvent(event, chunks);
      }
      decoder.onEnd(chunks);
      return null;
    } catch (GatewayException e) {
      return e;
    }
  }

  static ObjectNode error(GatewayException e) {
    ObjectNode error = GoldenCase.JSON.createObjectNode();
    error.put("status", e.status());
    error.put("type", e.type());
    error.put("code", e.code());
    error.put("param", e.param());
    error.put("message", e.getMessage());
    error.put("retryable", e.retryable());
    return error;
  }

  private static void compareChunks(GoldenCase golden, List<String> chunks, GoldenFiles files)
      throws IOException {
    ArrayNode actual = GoldenCase.JSON.createArrayNode();
    for (String chunk : chunks) {
      actual.add(GoldenCase.JSON.readTree(chunk));
    }
    String file = "expected_client_chunks.jsonl";
    ArrayNode expected = GoldenCase.JSON.createArrayNode();
    if (golden.has(file)) {
      for (String line : new String(golden.bytes(file), StandardCharsets.UTF_8).lines().toList()) {
        if (!line.isBlank()) {
          expected.add(GoldenCase.JSON.readTree(line));
        }
      }
    }
    if (!golden.has(file) || !expected.equals(actual)) {
      files.differs(file, String.join("\n", chunks) + "\n");
    }
  }
}
