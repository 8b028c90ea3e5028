package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every recorded OpenAI stream, sent by the upstream in two TCP writes split at every byte offset,
 * must reach the client through the gateway byte for byte as recorded (the recordings are already
 * in the canonical {@code data: <json>\n\n} framing the gateway writes).
 */
class StreamReplayE2ETest {
  static FakeUpstream upstream;
  static GatewayServer gateway;
  static HttpClient http;
  static volatile byte[] recording;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    upstream.respondWith(FakeUpstream.splitReplay(() -> recording));
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: openai/gpt-4o
                  api_base: %s
                  api_key: sk-upstream
            """
                .formatted(upstream.baseUrl()));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "real_stream_text_include_usage.sse",
        "real_stream_parallel_tool_calls.sse",
        "real_stream_refusal.sse",
        "real_stream_n3_choices.sse",
        "thirdparty_stream_tool_call_obfuscation_2025-11.sse"
      })
  void recordedStreamSurvivesEverySplitPoint(String fixture) throws Exception {
    recording = Fixtures.read("openai/" + fixture);
    String expected = new String(recording, StandardCharsets.UTF_8);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int split = 1; split < recording.length; split++) {
        int at = split;
        results.add(clients.submit(() -> streamWithSplit(at)));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).as("%s split at %d", fixture, i + 1).isEqualTo(expected);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  private static String streamWithSplit(int split) throws Exception {
    String body =
        "{\"model\":\"gpt-4o\",\"stream\":true,\"user\":\"split-"
            + split
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
