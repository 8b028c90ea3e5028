package io.feathergate.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Added latency, one request at a time: the same non-streaming chat completion sent directly to a
 * fast upstream and through the standalone gateway ({@code java -jar target/feathergate.war}), in
 * alternating blocks so that both see the same machine state. Prints p50/p99 of each and their
 * difference.
 *
 * <p>Usage: {@code AddedLatency [requests]} from the project directory, after {@code mvn package}.
 */
public final class AddedLatency {
  private static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    try (FastUpstream upstream = new FastUpstream(0, false)) {
      int port = freePort();
      Path config = Files.createTempFile("feathergate-bench-", ".yaml");
      Files.writeString(
          config,
          """
          model_list:
            - model_name: gpt-4o-mini
              litellm_params:
                model: openai/gpt-4o-mini
                api_base: %s
                api_key: sk-bench
          """
              .formatted(upstream.baseUrl()));
      Process gateway =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-jar",
                  "target/feathergate.war",
                  "--config",
                  config.toString(),
                  "--bind",
                  "127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(Path.of("target", "bench-gateway.log").toFile()))
              .start();
      try {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String gatewayUrl = "http://127.0.0.1:" + port + "/v1/chat/completions";
        String directUrl = upstream.baseUrl() + "/chat/completions";
        awaitUp(client, "http://127.0.0.1:" + port + "/health/liveness");
        // warm-up: JIT, connection pools
        measure(client, directUrl, 3_000);
        measure(client, gatewayUrl, 3_000);
        int block = 1_000;
        long[] direct = new long[0];
        long[] through = new long[0];
        for (int done = 0; done < requests; done += block) {
          direct = concat(direct, measure(client, directUrl, block));
          through = concat(through, measure(client, gatewayUrl, block));
        }
        report("direct", direct);
        report("gateway", through);
        System.out.printf(
            Locale.ROOT,
            "added      p50 %.3f ms   p99 %.3f ms%n",
            (percentile(through, 50) - percentile(direct, 50)) / 1e6,
            (percentile(through, 99) - percentile(direct, 99)) / 1e6);
      } finally {
        gateway.destroy();
        gateway.waitFor();
      }
    }
  }

  static long[] measure(HttpClient client, String url, int count) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build();
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      nanos[i] = System.nanoTime() - start;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + response.statusCode());
      }
    }
    return nanos;
  }

  static void awaitUp(HttpClient client, String url) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (client
                .send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("gateway did not start; see target/bench-gateway.log");
  }

  static void report(String name, long[] nanos) {
    System.out.printf(
        Locale.ROOT,
        "%-10s p50 %.3f ms   p99 %.3f ms   (%d requests)%n",
        name,
        percentile(nanos, 50) / 1e6,
        percentile(nanos, 99) / 1e6,
        nanos.length);
  }

  static double percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static long[] concat(long[] a, long[] b) {
    long[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
