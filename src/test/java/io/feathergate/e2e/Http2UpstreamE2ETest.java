package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.bench.FastUpstream;
import io.feathergate.bench.FastUpstream.Seen;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls carried as HTTP/2 streams to an upstream that speaks h2c beside HTTP/1.1. */
class Http2UpstreamE2ETest {
  static FastUpstream upstream;
  static GatewayServer gateway;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    upstream = new FastUpstream();
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: h2
                litellm_params: {model: openai/h2-s5x0, api_base: %1$s, api_key: sk-u, http2: true}
              - model_name: h2-long
                litellm_params: {model: openai/long-s60x50, api_base: %1$s, http2: true}
              - model_name: h2-limited
                litellm_params:
                  model: openai/limited-s60x50
                  api_base: %1$s
                  http2: true
                  http2_max_streams: 2
              - model_name: plain
                litellm_params: {model: openai/plain-s3x0, api_base: %1$s}
              - model_name: silent
                litellm_params: {model: openai/silent, api_base: %1$s, http2: true, stream_timeout: 1}
            """
                .formatted(upstream.baseUrl()));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  static CompletableFuture<HttpResponse<String>> post(String model, boolean stream) {
    return postAsync(gateway, model, stream);
  }

  static CompletableFuture<HttpResponse<String>> postAsync(
      GatewayServer server, String model, boolean stream) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .POST(
                HttpRequest.BodyPublishers.ofString(ChatCompletionsE2ETest.chatBody(model, stream)))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  static List<Seen> seenFor(String upstreamModel) {
    return upstream.seen().stream().filter(s -> s.model().equals(upstreamModel)).toList();
  }

  @Test
  void streamsAndWholeAnswersShareOneHttp2Connection() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(post("h2", i % 2 == 0));
    }
    for (int i = 0; i < calls.size(); i++) {
      HttpResponse<String> response = calls.get(i).get();
      assertThat(response.statusCode()).isEqualTo(200);
      if (i % 2 == 0) {
        assertThat(response.body()).contains("tok4 ").endsWith("data: [DONE]\n\n");
      } else {
        assertThat(response.body()).contains("Hello! How can I assist you today?");
      }
    }
    // one more once the first connection is settled: it reuses the connection
    assertThat(post("h2", true).get().statusCode()).isEqualTo(200);
    List<Seen> seen = seenFor("h2-s5x0");
    assertThat(seen).hasSize(7).allMatch(s -> s.protocol().equals("HTTP/2.0"));
    assertThat(seen.get(6).connectionId())
        .isIn(seen.subList(0, 6).stream().map(Seen::connectionId).toList());
  }

  @Test
  void plainHttpUpstreamsStayOnHttp1UnlessHttp2IsAskedFor() throws Exception {
    HttpResponse<String> response = post("plain", true).get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    assertThat(seenFor("plain-s3x0"))
        .singleElement()
        .extracting(Seen::protocol)
        .isEqualTo("HTTP/1.1");
  }

  @Test
  void callsBeyondTheStreamLimitGoOverHttp1InsteadOfWaiting() throws Exception {
    // each stream lasts 3 s upstream, so all four are in flight together
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(post("h2-limited", true));
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.get();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("tok59 ").endsWith("data: [DONE]\n\n");
    }
    assertThat(seenFor("limited-s60x50").stream().map(Seen::protocol))
        .containsExactlyInAnyOrder("HTTP/2.0", "HTTP/2.0", "HTTP/1.1", "HTTP/1.1");
  }

  @Test
  void aClientThatLeavesResetsOnlyItsOwnStream() throws Exception {
    // a first call opens the connection the others then share
    assertThat(post("h2-long", false).get().statusCode()).isEqualTo(200);
    CompletableFuture<HttpResponse<String>> staying = post("h2-long", true);
    try (Socket leaving = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      FaultsE2ETest.sendRawStreamRequest(leaving, "h2-long");
      InputStream in = leaving.getInputStream();
      assertThat(in.read(new byte[4096])).isPositive();
    }
    HttpResponse<String> response = staying.get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("tok59 ").endsWith("data: [DONE]\n\n");
    // the connection outlived the reset stream: the next call still goes over it
    assertThat(post("h2-long", false).get().statusCode()).isEqualTo(200);
    List<Seen> seen = seenFor("long-s60x50");
    assertThat(seen).hasSize(4).allMatch(s -> s.protocol().equals("HTTP/2.0"));
    Set<String> connections = seen.stream().map(Seen::connectionId).collect(Collectors.toSet());
    assertThat(connections).as("connections used by %s", seen).hasSize(1);
    assertThat(upstream.abortedStreams()).isPositive();
  }

  /** A gateway with an HTTP/2 and an HTTP/1.1 deployment of one HTTPS upstream. */
  static GatewayServer tlsGateway(FastUpstream tls) throws Exception {
    return GatewayServer.start(
        """
        model_list:
          - model_name: h2
            litellm_params: {model: openai/tls-h2, api_base: %1$s, http2: true}
          - model_name: h1
            litellm_params: {model: openai/tls-h1, api_base: %1$s, http2: false}
        """
            .formatted(tls.baseUrl()));
  }

  @Test
  void overTlsHttp2IsNegotiatedAndHttp1CanBeAskedFor() throws Exception {
    try (FastUpstream tls = FastUpstream.tls(true);
        GatewayServer tlsGateway = tlsGateway(tls)) {
      for (String model : List.of("h2", "h1")) {
        HttpResponse<String> response = postAsync(tlsGateway, model, true).get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
      }
      assertThat(tls.seen().stream().map(s -> s.model() + " " + s.protocol()))
          .containsExactly("tls-h2 HTTP/2.0", "tls-h1 HTTP/1.1");
    }
  }

  @Test
  void http2AskedOfAnUpstreamThatOnlySpeaksHttp1IsAClear502() throws Exception {
    try (FastUpstream tls = FastUpstream.tls(false);
        GatewayServer tlsGateway = tlsGateway(tls)) {
      HttpResponse<String> response = postAsync(tlsGateway, "h2", false).get();
      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.body()).contains("upstream_connection_error");
      assertThat(tls.seen()).isEmpty();
    }
  }

  @Test
  void aSilentHttp2StreamEndsWithATimeoutError() throws Exception {
    HttpResponse<String> response = post("silent", true).get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(FaultsE2ETest.finalError(response.body()).get("message").asText())
        .contains("timed out");
    assertThat(response.body()).doesNotContain("[DONE]");
  }
}
