package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis that answers, but a second late (a proxy in front of a real one delays every answer):
 * requests on limited groups still answer at once, from the replica's own counters, and the health,
 * the metrics and the log say that Redis is not being used.
 */
class SlowRedisE2ETest {
  static final long DELAY_MILLIS = 1_000;

  static RedisServer redis;
  static DelayingProxy proxy;
  static FakeUpstream upstream;
  static GatewayServer gateway;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    proxy = new DelayingProxy(redis.port());
    upstream = new FakeUpstream();
    upstream.respondWith((request, reply) -> reply.json(200, SharedStateE2ETest.COMPLETION));
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: limited
                litellm_params: {model: openai/gpt-4o, api_base: %s/v1, api_key: sk-a, rpm: 100000}
            router_settings:
              redis_url: redis://127.0.0.1:%d/0
            litellm_settings:
              callbacks: ["prometheus"]
            """
                .formatted(upstream.origin(), proxy.port()));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close();
    proxy.close();
    redis.close();
  }

  @Test
  void aSlowRedisDoesNotSlowRequests() throws Exception {
    for (int i = 0; i < 10; i++) {
      long began = System.nanoTime();
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          ChatCompletionsE2ETest.chatBody("limited", false)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long tookMillis = (System.nanoTime() - began) / 1_000_000;
      assertThat(answer.statusCode()).isEqualTo(200);
      // Redis's answers come a second late; the gateway waits 50 ms for one at most
      assertThat(tookMillis).as("request %d took", i).isLessThan(DELAY_MILLIS / 2);
    }
    String health = get("/health");
    assertThat(health).contains("\"redis\":{\"status\":\"unhealthy\"");
    assertThat(health).contains("\"where\":\"redis://127.0.0.1:" + proxy.port() + "\"");
    String metrics = get("/metrics");
    assertThat(metrics).contains("feathergate_redis_up 0.0");
    assertThat(metrics).containsPattern("feathergate_redis_failures_total [1-9]");
  }

  static String get(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Forwards to Redis at once, and each of its answers a second late. */
  static final class DelayingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final int target;

    DelayingProxy(int target) throws IOException {
      this.target = target;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      threads.execute(this::accept);
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          threads.execute(() -> pipe(client, upstream, 0));
          threads.execute(() -> pipe(upstream, client, DELAY_MILLIS));
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void pipe(Socket from, Socket to, long delayMillis) {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (delayMillis > 0) {
            Thread.sleep(delayMillis);
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // either side went away
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      threads.shutdownNow();
    }
  }
}
