package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What happens when the network misbehaves: stalls, resets, refusals, leaving clients. */
class FaultsE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHUNK =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tick \"},\"finish_reason\":null}]}\n\n";

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: fast-timeouts
                litellm_params:
                  model: openai/gpt-4o
                  api_base: %1$s
                  api_key: sk-upstream
                  timeout: 1
                  stream_timeout: 1
              - model_name: patient
                litellm_params:
                  model: openai/gpt-4o
                  api_base: %1$s
                  api_key: sk-upstream
              - model_name: unreachable
                litellm_params:
                  model: openai/gpt-4o
                  api_base: http://127.0.0.1:%2$d/v1
              - model_name: retrying
                litellm_params:
                  model: openai/gpt-4o
                  api_base: %1$s
                  max_retries: 2
            """
                .formatted(upstream.baseUrl(), closedPort));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  static HttpResponse<String> post(String model, boolean stream) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .POST(
                HttpRequest.BodyPublishers.ofString(ChatCompletionsE2ETest.chatBody(model, stream)))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode errorOf(String json) throws Exception {
    return JSON.readTree(json).get("error");
  }

  @Test
  void unreachableUpstreamIsA502() throws Exception {
    HttpResponse<String> response = post("unreachable", false);
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(errorOf(response.body()).get("message").asText()).contains("Upstream unreachable");
  }

  @Test
  void upstreamThatNeverAnswersIsA504AfterTheTimeout() throws Exception {
    upstream.respondWith((request, reply) -> Thread.sleep(5_000));
    HttpResponse<String> response = post("fast-timeouts", false);
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(errorOf(response.body()).get("message").asText()).contains("timed out");
  }

  @Test
  void streamThatStallsBeforeTheFirstByteIsA504() throws Exception {
    upstream.respondWith((request, reply) -> Thread.sleep(5_000));
    HttpResponse<String> response = post("fast-timeouts", true);
    assertThat(response.statusCode()).isEqualTo(504);
  }

  @Test
  void streamThatStallsMidwayEndsWithAnErrorEvent() throws Exception {
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(CHUNK);
          Thread.sleep(5_000);
        });
    HttpResponse<String> response = post("fast-timeouts", true);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith(CHUNK);
    assertThat(finalError(response.body()).get("message").asText()).contains("timed out");
    assertThat(response.body()).doesNotContain("[DONE]");
  }

  @Test
  void upstreamResetMidStreamEndsWithAnErrorEvent() throws Exception {
    CountDownLatch clientHasFirstChunk = new CountDownLatch(1);
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(CHUNK);
          // reset only once the chunk went through, or the reset could overtake it
          clientHasFirstChunk.await(10, TimeUnit.SECONDS);
          reply.reset();
        });
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    ChatCompletionsE2ETest.chatBody("patient", true)))
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (InputStream in = response.body()) {
      byte[] first = in.readNBytes(CHUNK.getBytes(StandardCharsets.UTF_8).length);
      assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(CHUNK);
      clientHasFirstChunk.countDown();
      String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(rest).startsWith("event: error\ndata: {\"error\":");
      assertThat(finalError(rest).get("type").asText()).isEqualTo("upstream_connection_error");
      assertThat(rest).doesNotContain("[DONE]");
    }
  }

  @Test
  void openAiJavaSeesAMidStreamFailureAsAnError() {
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          reply.chunk(CHUNK);
          reply.chunk(
              "data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n");
          reply.endStream();
        });
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(gateway.baseUrl() + "/v1")
            .apiKey("unused")
            .maxRetries(0)
            .build();
    try {
      List<String> pieces = new ArrayList<>();
      assertThatThrownBy(
              () -> {
                try (StreamResponse<ChatCompletionChunk> stream =
                    client
                        .chat()
                        .completions()
                        .createStreaming(
                            ChatCompletionCreateParams.builder()
                                .model("patient")
                                .addUserMessage("x")
                                .build())) {
                  stream.stream()
                      .forEach(
                          c ->
                              c.choices()
                                  .forEach(ch -> ch.delta().content().ifPresent(pieces::add)));
                }
              })
          .isInstanceOf(SseException.class)
          .hasMessageContaining("The server had an error while processing your request.");
      assertThat(pieces).containsExactly("tick ");
    } finally {
      client.close();
    }
  }

  @Test
  void failedAttemptsAreRetriedBeforeAnythingReachesTheClient() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    upstream.respondWith(
        (request, reply) -> {
          if (attempts.incrementAndGet() < 3) {
            reply.json(
                500,
                "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
          } else {
            reply.json(200, ChatCompletionsE2ETest.COMPLETION);
          }
        });
    HttpResponse<String> response = post("retrying", false);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(attempts.get()).isEqualTo(3);
  }

  @Test
  void clientErrorsAreNotRetried() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    upstream.respondWith(
        (request, reply) -> {
          attempts.incrementAndGet();
          reply.json(
              400,
              "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
        });
    assertThat(post("retrying", false).statusCode()).isEqualTo(400);
    assertThat(attempts.get()).isEqualTo(1);
  }

  @Test
  void clientThatDisconnectsMidStreamCancelsTheUpstream() throws Exception {
    CountDownLatch firstChunkSent = new CountDownLatch(1);
    upstream.respondWith(
        (request, reply) -> {
          reply.startStream();
          for (int i = 0; i < 200; i++) { // at most 10 s
            reply.chunk(CHUNK);
            firstChunkSent.countDown();
            Thread.sleep(50);
          }
          reply.endStream();
        });
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      sendRawStreamRequest(socket, "patient");
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      assertThat(in.read(buffer)).isPositive();
      assertThat(firstChunkSent.await(5, TimeUnit.SECONDS)).isTrue();
    }
    // the gateway noticed on its next write and closed its upstream connection
    assertThat(upstream.awaitPeerClose()).isNotNull();
  }

  @Test
  void oneStalledReaderDoesNotSlowOtherRequestsAndItsUpstreamIsPaused() throws Exception {
    long streamLimit = 256L * 1024 * 1024;
    AtomicLong upstreamBytes = new AtomicLong();
    AtomicBoolean upstreamFinished = new AtomicBoolean();
    byte[] bigChunk = (CHUNK.repeat(400)).getBytes(StandardCharsets.UTF_8);
    upstream.respondWith(
        (request, reply) -> {
          if (request.body().contains("\"stall-me\"")) {
            reply.startStream();
            while (reply.bytesWritten() < streamLimit) {
              reply.chunk(bigChunk);
              upstreamBytes.set(reply.bytesWritten());
            }
            upstreamFinished.set(true);
            reply.endStream();
          } else {
            reply.json(200, ChatCompletionsE2ETest.COMPLETION);
          }
        });
    try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      stalled.setReceiveBufferSize(64 * 1024);
      OutputStream out = stalled.getOutputStream();
      String body =
          "{\"model\":\"patient\",\"stream\":true,\"user\":\"stall-me\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // the stalled client reads nothing; meanwhile other clients are served normally
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> other = post("patient", false);
        assertThat(other.statusCode()).isEqualTo(200);
      }
      assertThat(upstreamBytes.get()).isPositive();
      // back-pressure: the gateway stopped reading the stalled stream's upstream long before its
      // end
      assertThat(upstreamFinished.get()).isFalse();
      assertThat(upstreamBytes.get()).isLessThan(streamLimit / 4);
    }
    assertThat(upstream.awaitPeerClose()).isNotNull();
  }

  static void sendRawStreamRequest(Socket socket, String model) throws Exception {
    String body = ChatCompletionsE2ETest.chatBody(model, true);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The last event of a stream, {@code event:} line included. */
  static String lastEvent(String body) {
    String[] events = body.split("\n\n");
    return events[events.length - 1];
  }

  /** The JSON error of a stream's final {@code event: error} event. */
  static JsonNode finalError(String body) throws Exception {
    String last = lastEvent(body);
    assertThat(last).startsWith("event: error\ndata: {\"error\"");
    return errorOf(last.substring("event: error\ndata: ".length()));
  }
}
