package io.feathergate.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.Http2Policy;
import io.feathergate.core.Secret;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.transport.SseDecoder;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The benchmarks' inputs, read once per trial from the recorded fixtures and golden cases on the
 * test class path ({@code src/test/resources}), and the stream replay the decoder benchmarks share.
 */
final class Inputs {

  /**
   * The OpenAI request every request benchmark translates: a recorded tool round trip (user turn,
   * assistant tool call, tool result, one tool with a JSON schema), so that each provider maps
   * messages, tool calls, tool results and tools.
   */
  static final String TOOL_ROUND_TRIP_REQUEST =
      "golden/anthropic/tool_round_trip_recorded/client_request.json";

  private Inputs() {}

  static byte[] resource(String path) {
    try (InputStream in = Inputs.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + path + " on the test class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client request, parsed and checked as the gateway does before routing. */
  static ChatRequest request(String path) {
    return ChatRequests.parse(resource(path));
  }

  /** The same request asking for a stream with the usage chunk. */
  static ChatRequest streaming(ChatRequest request) {
    ObjectNode body = request.body().deepCopy();
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    return ChatRequests.parse(body.toString().getBytes(StandardCharsets.UTF_8));
  }

  static Route route(String provider, String upstreamModel) {
    Deployment deployment =
        new Deployment(
            "bench-" + provider,
            "bench",
            provider,
            upstreamModel,
            null,
            Secret.ofNullable("sk-bench"),
            null,
            Duration.ofSeconds(60),
            Duration.ofSeconds(20),
            0,
            null,
            Map.of(),
            Map.of(),
            false,
            Http2Policy.ON,
            null);
    return new Route(deployment, upstreamModel);
  }

  /** A context with a fixed id, time and tool-call id, so that every op does the same work. */
  static StreamContext context(ChatRequest request, String upstreamModel) {
    return new StreamContext(
        request, upstreamModel, "chatcmpl-bench", 1_700_000_000L, () -> "call_bench");
  }

  /**
   * A recorded stream's events, decoded once so that decoder benchmarks measure only themselves.
   */
  static List<SseEvent> events(String path) {
    List<SseEvent> events = new ArrayList<>();
    SseDecoder decoder = new SseDecoder(1 << 20);
    decoder.feed(ByteBuffer.wrap(resource(path)), events::add);
    decoder.finish(events::add);
    if (events.isEmpty()) {
      throw new IllegalStateException(path + " holds no event");
    }
    return List.copyOf(events);
  }

  /** Asserts, once in setup, that an input parses as JSON (a broken fixture must not be timed). */
  static byte[] json(String path) {
    byte[] bytes = resource(path);
    try {
      Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(path + " is not JSON", e);
    }
    return bytes;
  }

  /**
   * Feeds a stream's events to a decoder as the core does ({@code ChatExchange}): one chunk list
   * per exchange, drained after every event, then {@code onEnd}.
   *
   * @return the number of chunks the stream produced
   */
  static int replay(StreamDecoder decoder, List<SseEvent> events, Blackhole bh) {
    List<String> chunks = new ArrayList<>(4);
    int produced = 0;
    for (SseEvent event : events) {
      decoder.onEvent(event, chunks);
      produced += drain(chunks, bh);
    }
    decoder.onEnd(chunks);
    return produced + drain(chunks, bh);
  }

  private static int drain(List<String> chunks, Blackhole bh) {
    int n = chunks.size();
    for (int i = 0; i < n; i++) {
      bh.consume(chunks.get(i));
    }
    chunks.clear();
    return n;
  }
}
