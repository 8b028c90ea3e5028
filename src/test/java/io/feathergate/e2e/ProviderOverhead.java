package io.feathergate.e2e;

import io.feathergate.e2e.ProviderFake.Usage;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Added latency and time to first token of an OpenAI pass-through, an Azure-shaped call and a
 * Bedrock-shaped call (SigV4 signed, binary event stream), each against its contract fake on
 * loopback, in one run and one gateway; the OpenAI fake is also called directly, for the upstream's
 * own time. Calls are sequential (each figure is one request's own path) and take turns across the
 * targets, so that warm-up and noise fall on all alike. Bounded: {@code bench.overhead.requests}
 * rounds (default 2,000, the first tenth not counted), at most 60 s for whole answers and 60 s for
 * streams.
 *
 * <pre>
 * mvn -o -q test-compile &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) io.feathergate.e2e.ProviderOverhead
 * </pre>
 */
public final class ProviderOverhead {
  private static final int REQUESTS = Integer.getInteger("bench.overhead.requests", 2_000);
  private static final long BUDGET_NANOS = Duration.ofSeconds(60).toNanos();
  private static final Usage USAGE = new Usage(11, 7);

  private record Target(String label, String url, String model, Map<String, String> headers) {}

  private ProviderOverhead() {}

  public static void main(String[] args) throws Exception {
    List<ProviderFake> fakes = List.of(new OpenAiFake(), new AzureFake(), new BedrockFake());
    Map<String, FakeUpstream> upstreams = new LinkedHashMap<>();
    StringBuilder config = new StringBuilder("model_list:\n");
    for (ProviderFake fake : fakes) {
      FakeUpstream upstream = new FakeUpstream();
      upstreams.put(fake.name(), upstream);
      upstream.respondWith(
          fake.checked(
              (request, reply) -> {
                if (fake.askedForStream(request)) {
                  fake.startStream(request, reply, USAGE);
                  fake.streamText(reply, "Hello");
                  fake.streamText(reply, " there");
                  fake.endStream(request, reply, USAGE);
                } else {
                  fake.answerText(request, reply, "Hello there", USAGE);
                }
              }));
      config.append("  - model_name: ").append(fake.name()).append("\n    litellm_params:\n");
      fake.litellmParams(upstream.origin())
          .forEach((k, v) -> config.append("      ").append(k).append(": ").append(v).append('\n'));
      config.append("      ").append(fake.keyParam()).append(": ").append(fake.apiKey());
      config.append('\n');
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (GatewayServer gateway = GatewayServer.start(config.toString())) {
      List<Target> targets = new ArrayList<>();
      targets.add(
          new Target(
              "OpenAI fake, direct (no gateway)",
              upstreams.get("openai").origin() + "/v1/chat/completions",
              "openai",
              Map.of("Authorization", "Bearer " + OpenAiFake.KEY)));
      for (ProviderFake fake : fakes) {
        targets.add(
            new Target(
                fake.name() + " through the gateway",
                gateway.baseUrl() + "/v1/chat/completions",
                fake.name(),
                Map.of()));
      }
      List<List<Double>> whole = measure(http, targets, false);
      List<List<Double>> ttft = measure(http, targets, true);
      System.out.println(
          "| call | requests | p50 ms | p99 ms | stream TTFT p50 ms | TTFT p99 ms |");
      System.out.println("|---|---|---|---|---|---|");
      for (int t = 0; t < targets.size(); t++) {
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %.3f | %.3f | %.3f | %.3f |%n",
            targets.get(t).label(),
            whole.get(t).size(),
            percentile(whole.get(t), 50),
            percentile(whole.get(t), 99),
            percentile(ttft.get(t), 50),
            percentile(ttft.get(t), 99));
      }
    } finally {
      for (FakeUpstream upstream : upstreams.values()) {
        upstream.close();
      }
    }
  }

  /** Milliseconds a call, per target: to the whole answer, or to a stream's first content. */
  private static List<List<Double>> measure(HttpClient http, List<Target> targets, boolean stream)
      throws Exception {
    List<List<Double>> times = new ArrayList<>();
    targets.forEach(t -> times.add(new ArrayList<>()));
    long start = System.nanoTime();
    for (int i = 0; i < REQUESTS + REQUESTS / 10 && System.nanoTime() - start < BUDGET_NANOS; i++) {
      for (int t = 0; t < targets.size(); t++) {
        double millis = call(http, targets.get(t), stream);
        if (i >= REQUESTS / 10) {
          times.get(t).add(millis);
        }
      }
    }
    return times;
  }

  private static double call(HttpClient http, Target target, boolean stream) throws Exception {
    String body =
        "{\"model\":\""
            + target.model()
            + "\","
            + (stream ? "\"stream\":true," : "")
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target.url()))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    target.headers().forEach(request::header);
    long sent = System.nanoTime();
    if (!stream) {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      double millis = (System.nanoTime() - sent) / 1e6;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(target.label() + ": " + response.body());
      }
      return millis;
    }
    HttpResponse<InputStream> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[8192];
      StringBuilder seen = new StringBuilder();
      long first = 0;
      int read;
      while ((read = in.read(buffer)) > 0) {
        seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        if (first == 0 && seen.indexOf("Hello") >= 0) {
          first = System.nanoTime();
        }
      }
      if (response.statusCode() != 200 || first == 0) {
        throw new IllegalStateException(target.label() + ": " + seen);
      }
      return (first - sent) / 1e6;
    }
  }

  private static double percentile(List<Double> values, int p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
