package io.feathergate.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What metrics and the access log cost per request: two standalone gateways ({@code java -jar
 * target/feathergate.war}) on the same fast upstream, one with LiteLLM's metrics ({@code
 * litellm_settings.callbacks: ["prometheus"]}) and the access log on, one with both off (no
 * callback; the {@code io.feathergate.access} logger at OFF), measured one request at a time in
 * alternating blocks so that both see the same machine state.
 *
 * <p>Usage: {@code ObservabilityCost [requests] [metrics-only]} from the project directory, after
 * {@code mvn package}; {@code metrics-only} keeps the access log off on both gateways, so that the
 * difference is the metrics alone.
 */
public final class ObservabilityCost {
  private ObservabilityCost() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    try (FastUpstream upstream = new FastUpstream(0, false)) {
      String models =
          """
          model_list:
            - model_name: gpt-4o-mini
              litellm_params:
                model: openai/gpt-4o-mini
                api_base: %s
                api_key: sk-bench
          """
              .formatted(upstream.baseUrl());
      Path on = Files.createTempFile("feathergate-bench-on-", ".yaml");
      Files.writeString(on, models + "litellm_settings:\n  callbacks: [\"prometheus\"]\n");
      Path off = Files.createTempFile("feathergate-bench-off-", ".yaml");
      Files.writeString(off, models);
      Path quietAccessLog = Files.createTempFile("feathergate-bench-logging-", ".properties");
      Files.writeString(
          quietAccessLog,
          """
          handlers = java.util.logging.ConsoleHandler
          .level = INFO
          io.feathergate.access.level = OFF
          java.util.logging.SimpleFormatter.format = %1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n
          """);
      int onPort = freePort();
      int offPort = freePort();
      boolean metricsOnly = args.length > 1 && args[1].equals("metrics-only");
      Process withObservability =
          start(
              on,
              onPort,
              metricsOnly
                  ? List.of("-Djava.util.logging.config.file=" + quietAccessLog)
                  : List.of());
      Process without =
          start(off, offPort, List.of("-Djava.util.logging.config.file=" + quietAccessLog));
      try {
        awaitUp(onPort);
        awaitUp(offPort);
        byte[] request =
            RawClient.post("/v1/chat/completions", RawClient.chatBody("gpt-4o-mini", false));
        try (RawClient withClient = new RawClient(onPort);
            RawClient withoutClient = new RawClient(offPort)) {
          withClient.times(request, 5_000);
          withoutClient.times(request, 5_000);
          int block = 1_000;
          long[] withTimes = new long[0];
          long[] withoutTimes = new long[0];
          for (int done = 0; done < requests; done += block) {
            withoutTimes = Stats.concat(withoutTimes, withoutClient.times(request, block));
            withTimes = Stats.concat(withTimes, withClient.times(request, block));
          }
          Stats offStats = new Stats(withoutTimes);
          Stats onStats = new Stats(withTimes);
          System.out.printf(
              Locale.ROOT,
              "off  p50 %.3f ms  p99 %.3f ms%non   p50 %.3f ms  p99 %.3f ms%n"
                  + "cost p50 %.3f ms  p99 %.3f ms%n",
              offStats.percentile(50) / 1e6,
              offStats.percentile(99) / 1e6,
              onStats.percentile(50) / 1e6,
              onStats.percentile(99) / 1e6,
              (onStats.percentile(50) - offStats.percentile(50)) / 1e6,
              (onStats.percentile(99) - offStats.percentile(99)) / 1e6);
        }
      } finally {
        withObservability.destroy();
        without.destroy();
        withObservability.waitFor();
        without.waitFor();
      }
    }
  }

  private static void awaitUp(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!RawClient.answers200(port, "/health/liveness")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a gateway did not start; see target/bench-gateway-*.log");
      }
      Thread.sleep(20);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Process start(Path config, int port, List<String> jvmOptions) throws Exception {
    List<String> flags = new java.util.ArrayList<>();
    flags.add("-Xmx512m");
    flags.addAll(jvmOptions);
    return new ProcessBuilder(ChildJvm.gateway(flags, config, port))
        .redirectErrorStream(true)
        .redirectOutput(
            ProcessBuilder.Redirect.appendTo(
                Path.of("target", "bench-gateway-" + port + ".log").toFile()))
        .start();
  }
}
