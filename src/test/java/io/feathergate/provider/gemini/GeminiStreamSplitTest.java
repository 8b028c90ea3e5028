package io.feathergate.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.transport.SseDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded Gemini stream, cut in two at every byte offset and fed to the transport's SSE
 * decoder and the Gemini decoder, gives the same chunks as the stream read whole: CRLF pairs, JSON
 * and multi-byte characters split anywhere change nothing.
 */
class GeminiStreamSplitTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures/gemini");

  /** The raw captures, the derived streams, and the streamed answers of the js-genai recordings. */
  static Stream<String> recordedStreams() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(FIXTURES)) {
      files
          .filter(Files::isRegularFile)
          .map(f -> FIXTURES.relativize(f).toString())
          .filter(
              name ->
                  name.endsWith(".sse")
                      || (name.startsWith("generative-ai-js-mocks/streaming-")
                          && name.endsWith(".txt")))
          .forEach(names::add);
    }
    for (String recording : jsGenaiRecordings()) {
      JsonNode interactions = GoldenCase.JSON.readTree(FIXTURES.resolve(recording).toFile());
      for (int i = 0; i < interactions.path("interactions").size(); i++) {
        JsonNode response = interactions.get("interactions").get(i).get("response");
        if (response.path("headers").path("Content-Type").asText().startsWith("text/event-stream")
            && response.path("statusCode").asInt() == 200) {
          names.add(recording + "#" + i);
        }
      }
    }
    return names.stream().sorted();
  }

  private static List<String> jsGenaiRecordings() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES.resolve("js-genai-recordings"))) {
      return files.map(f -> FIXTURES.relativize(f).toString()).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedStreams")
  void sameChunksWhereverTheBytesSplit(String name) throws IOException {
    byte[] stream = bytes(name);
    List<String> whole = decode(stream, stream.length);
    assertThat(whole).as("the stream yields chunks").isNotEmpty();
    for (int split = 0; split <= stream.length; split++) {
      List<String> cut = decode(stream, split);
      if (!cut.equals(whole)) {
        assertThat(cut).as("%s split at byte %d", name, split).isEqualTo(whole);
      }
    }
  }

  /**
   * A js-genai recording's segments, framed as Gemini frames them: {@code data: <json>\r\n\r\n}.
   */
  static byte[] bytes(String name) throws IOException {
    int hash = name.indexOf('#');
    if (hash < 0) {
      return Files.readAllBytes(FIXTURES.resolve(name));
    }
    JsonNode recording =
        GoldenCase.JSON.readTree(FIXTURES.resolve(name.substring(0, hash)).toFile());
    JsonNode segments =
        recording
            .get("interactions")
            .get(Integer.parseInt(name.substring(hash + 1)))
            .get("response")
            .get("bodySegments");
    StringBuilder sse = new StringBuilder();
    for (JsonNode segment : segments) {
      sse.append("data: ").append(segment.toString()).append("\r\n\r\n");
    }
    return sse.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Feeds the stream in two reads, {@code [0, split)} and the rest. */
  private static List<String> decode(byte[] stream, int split) {
    StreamContext context =
        new StreamContext(
            ChatRequests.parse(
                "{\"model\":\"g\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
                    .getBytes(StandardCharsets.UTF_8)),
            "gemini-2.5-flash",
            "chatcmpl-split",
            GoldenCase.CREATED,
            GoldenCase.counter());
    StreamDecoder decoder = new GeminiAdapter().newStreamDecoder(context);
    SseDecoder frames = new SseDecoder(1 << 20);
    List<SseEvent> events = new ArrayList<>();
    frames.feed(ByteBuffer.wrap(stream, 0, split), events::add);
    frames.feed(ByteBuffer.wrap(stream, split, stream.length - split), events::add);
    frames.finish(events::add);
    List<String> chunks = new ArrayList<>();
    try {
      for (SseEvent event : events) {
        decoder.onEvent(event, chunks);
      }
      decoder.onEnd(chunks);
    } catch (GatewayException e) {
      chunks.add("error " + e.status() + " " + e.getMessage());
    }
    return chunks;
  }
}
