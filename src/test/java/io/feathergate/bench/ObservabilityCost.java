package io.feathergate.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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
      int onPort = AddedLatency.freePort();
      int offPort = AddedLatency.freePort();
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
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String onUrl = "http://127.0.0.1:" + onPort + "/v1/chat/completions";
        String offUrl = "http://127.0.0.1:" + offPort + "/v1/chat/completions";
        AddedLatency.awaitUp(client, "http://127.0.0.1:" + onPort + "/health/liveness");
        AddedLatency.awaitUp(client, "http://127.0.0.1:" + offPort + "/health/liveness");
        AddedLatency.measure(client, onUrl, 3_000);
        AddedLatency.measure(client, offUrl, 3_000);
        int block = 1_000;
        long[] withTimes = new long[0];
        long[] withoutTimes = new long[0];
        for (int done = 0; done < requests; done += block) {
          withoutTimes =
              AddedLatency.concat(withoutTimes, AddedLatency.measure(client, offUrl, block));
          withTimes = AddedLatency.concat(withTimes, AddedLatency.measure(client, onUrl, block));
        }
        AddedLatency.report("off", withoutTimes);
        AddedLatency.report("on", withTimes);
        System.out.printf(
            Locale.ROOT,
            "cost       p50 %.3f ms   p99 %.3f ms%n",
            (AddedLatency.percentile(withTimes, 50) - AddedLatency.percentile(withoutTimes, 50))
                / 1e6,
            (AddedLatency.percentile(withTimes, 99) - AddedLatency.percentile(withoutTimes, 99))
                / 1e6);
      } finally {
        withObservability.destroy();
        without.destroy();
        withObservability.waitFor();
        without.waitFor();
      }
    }
  }

  private static Process start(Path config, int port, List<String> jvmOptions) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            "target/feathergate.war",
            "--config",
            config.toString(),
            "--bind",
            "127.0.0.1:" + port));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(
            ProcessBuilder.Redirect.appendTo(
                Path.of("target", "bench-gateway-" + port + ".log").toFile()))
        .start();
  }
}
