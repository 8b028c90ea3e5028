package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.transport.SseDecoder;
import io.feathergate.wire.ErrorBody;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests, deployments and stream replays for the Anthropic tests. */
final class AnthropicTesting {
  static final String API_KEY = "sk-ant-test-key";
  static final String RESPONSE_ID = "chatcmpl-test";
  static final long CREATED = 1_700_000_000L;

  private AnthropicTesting() {}

  static Deployment deployment(URI apiBase, boolean dropParams, Map<String, String> extraHeaders) {
    return new Deployment(
        "claude-test",
        "claude",
        "anthropic",
        "claude-sonnet-4-5",
        apiBase,
        Secret.ofNullable(API_KEY),
        null,
        Duration.ofSeconds(60),
        Duration.ofSeconds(20),
        0,
        null,
        Map.of(),
        extraHeaders,
        dropParams,
        io.feathergate.core.Http2Policy.OFF,
        null);
  }

  static Deployment deployment() {
    return deployment(null, false, Map.of());
  }

  static Route route(Deployment deployment, String upstreamModel) {
    return new Route(deployment, upstreamModel);
  }

  static ChatRequest request(String json) {
    return ChatRequests.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static ChatRequest request(JsonNode json) {
    return request(json.toString());
  }

  static StreamContext context(ChatRequest request) {
    return new StreamContext(request, "claude-sonnet-4-5", RESPONSE_ID, CREATED, () -> "call_test");
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] resource(String path) {
    try (InputStream in = AnthropicTesting.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What the client receives for an upstream stream, as the core frames it: each chunk as {@code
   * data: <json>}, then {@code [DONE]}, or the error event when the decoder reports one.
   *
   * @param pieces the stream's bytes, in the reads they arrive in
   */
  static List<String> clientEvents(StreamContext context, List<byte[]> pieces) {
    StreamDecoder decoder = new AnthropicAdapter().newStreamDecoder(context);
    SseDecoder frames = new SseDecoder(1 << 20);
    List<SseEvent> events = new ArrayList<>();
    List<String> out = new ArrayList<>();
    try {
      for (byte[] piece : pieces) {
        frames.feed(ByteBuffer.wrap(piece), events::add);
        drain(decoder, events, out);
      }
      frames.finish(events::add);
      drain(decoder, events, out);
      decoder.onEnd(out);
      out.add("[DONE]");
    } catch (GatewayException e) {
      out.add(ErrorBody.toJsonString(e.getMessage(), e.type(), e.param(), e.code()));
    }
    return out;
  }

  private static void drain(StreamDecoder decoder, List<SseEvent> events, List<String> out) {
    try {
      for (SseEvent event : events) {
        // as the core does: what an event produced before it failed never reaches the client
        List<String> produced = new ArrayList<>();
        decoder.onEvent(event, produced);
        out.addAll(produced);
      }
    } finally {
      events.clear();
    }
  }

  static List<String> clientEvents(StreamContext context, byte[] stream) {
    return clientEvents(context, List.of(stream));
  }
}
