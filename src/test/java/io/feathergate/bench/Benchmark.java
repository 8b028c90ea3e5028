package io.feathergate.bench;

import io.feathergate.bench.RawClient.StreamTiming;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole benchmark, loopback only and bounded in time: a fast fake upstream ({@link
 * FastUpstream}) in its own JVM, the standalone gateway ({@code java -jar target/feathergate.war})
 * in another, and load from this JVM and from {@code wrk}. Every figure is taken through the
 * gateway and directly against the upstream in the same run. Writes {@code target/bench/report.md}.
 *
 * <p>Run with {@code mvn -Pbench verify}. Settings (system properties): {@code bench.quick=true}
 * for a short smoke run; {@code bench.latency.requests}, {@code bench.wrk.seconds}, {@code
 * bench.streams}, {@code bench.stream.seconds}, {@code bench.parts} (a comma-separated subset of
 * latency, ttft, messages, embeddings, responses, upload, keys, throughput, streams,
 * messages-streams, jmh; and redis, cache, memory, soak, peers, fuzz, which are not in the default
 * list; {@code bench.soak.requests}, {@code bench.peers.*}, {@code bench.fuzz.only}).
 */
public final class Benchmark {
  private static final boolean QUICK = Boolean.getBoolean("bench.quick");
  private static final int LATENCY_REQUESTS =
      Integer.getInteger("bench.latency.requests", QUICK ? 2_000 : 20_000);
  private static final int TTFT_STREAMS =
      Integer.getInteger("bench.ttft.streams", QUICK ? 40 : 200);

  /** Streams each way for the time to first token with no pause between streams. */
  private static final int BACK_TO_BACK_STREAMS = QUICK ? 400 : 4000;

  private static final int WRK_SECONDS = Integer.getInteger("bench.wrk.seconds", QUICK ? 3 : 10);
  private static final int LONG_STREAMS = Integer.getInteger("bench.streams", QUICK ? 500 : 10_000);
  private static final int LONG_STREAM_SECONDS =
      Integer.getInteger("bench.stream.seconds", QUICK ? 10 : 60);
  private static final int WARMUP_SECONDS = QUICK ? 5 : 40;
  private static final int OPEN_PER_SECOND = Integer.getInteger("bench.stream.rate", 1_000);

  /** Warm-up of each target in the peers part: the JIT, V8 and CPython each get as long. */
  private static final int PEER_WARMUP_SECONDS =
      Integer.getInteger("bench.peers.warmup", QUICK ? 4 : 60);

  private static final int PEER_ONE_AT_A_TIME =
      Integer.getInteger("bench.peers.requests", QUICK ? 200 : 2_000);

  /**
   * JVM flags of the main gateway ({@code bench.gateway.flags}, space-separated); none by default.
   */
  private static final List<String> GATEWAY_FLAGS =
      List.of(System.getProperty("bench.gateway.flags", "").split(" ")).stream()
          .filter(flag -> !flag.isBlank())
          .toList();

  /** Which parts to run, by name; all by default. */
  private static final List<String> PARTS =
      List.of(
          System.getProperty(
                  "bench.parts",
                  "latency,ttft,messages,embeddings,responses,upload,keys,throughput,streams,"
                      + "messages-streams,jmh")
              .split(","));

  /** Chunks and gap of the paced streams that time the first token and each chunk. */
  private static final int PACED_CHUNKS = 10;

  private static final String CHAT = "/v1/chat/completions";
  private static final String MESSAGES = "/v1/messages";

  private final Path dir = Path.of("target", "bench");
  private final Report report = new Report();
  private int upstreamPort;
  private int gatewayPort;

  public static void main(String[] args) throws Exception {
    new Benchmark().run();
  }

  private void run() throws Exception {
    Files.createDirectories(dir);
    long began = System.nanoTime();
    report.heading();
    int[] port = new int[1];
    try (ChildJvm upstream =
        ChildJvm.startWithPort(
            List.of(
                ChildJvm.java(),
                "-Xms256m",
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                FastUpstream.class.getName()),
            dir.resolve("upstream.log"),
            port)) {
      upstreamPort = port[0];
      Path config = writeConfig();
      ChildJvm gateway = startAndTime(config);
      try {
        report.section("Memory and threads when idle (after start, before any request)");
        idleFigures(gateway, "idle after start");
        warmUp();
        if (PARTS.contains("latency")) {
          latency();
        }
        if (PARTS.contains("ttft")) {
          firstTokenAndChunks();
        }
        if (PARTS.contains("throughput")) {
          throughput();
        }
        if (PARTS.contains("messages")) {
          messages();
        }
        if (PARTS.contains("embeddings")) {
          embeddings();
        }
        if (PARTS.contains("responses")) {
          responses();
        }
        if (PARTS.contains("upload")) {
          upload(gateway);
        }
        if (PARTS.contains("keys")) {
          virtualKeys();
        }
        if (PARTS.contains("redis")) {
          sharedState();
        }
        if (PARTS.contains("cache")) {
          responseCache();
        }
        if (PARTS.contains("memory")) {
          memorySettings(config);
        }
        if (PARTS.contains("soak")) {
          soak(gateway);
        }
        if (PARTS.contains("peers")) {
          peers(config);
        }
        if (PARTS.contains("fuzz")) {
          longFuzzing();
        }
        if (PARTS.contains("streams")) {
          longStreams(gateway, "long-h2", "HTTP/2 (h2c) to the upstream", CHAT);
          longStreams(gateway, "long-h1", "HTTP/1.1 to the upstream", CHAT);
        }
        if (PARTS.contains("messages-streams")) {
          longStreams(
              gateway, "claude-long", "/v1/messages passed through to Anthropic, h2c", MESSAGES);
        }
        report.section("Memory and threads when idle again (after all load)");
        idleFigures(gateway, "right after the last request");
        // pooled upstream connections unused for a minute are closed; an idle gateway has none
        Thread.sleep(TimeUnit.SECONDS.toMillis(75));
        idleFigures(gateway, "75 s later, idle upstream connections closed");
      } finally {
        gateway.close();
      }
    }
    if (PARTS.contains("jmh")) {
      jmh();
    }
    report.line("%nTotal benchmark time: %.0f s.", (System.nanoTime() - began) / 1e9);
    Path out = dir.resolve("report.md");
    Files.writeString(out, report.text());
    System.out.println();
    System.out.println(report.text());
    System.out.println("Report written to " + out);
  }

  private Path writeConfig() throws IOException {
    String base = "http://127.0.0.1:" + upstreamPort + "/v1";
    String yaml =
        """
        model_list:
          - model_name: fast
            litellm_params: {model: openai/fast-s20x0, api_base: %1$s, api_key: sk-bench}
          - model_name: paced
            litellm_params: {model: openai/paced-s%2$dx10, api_base: %1$s, api_key: sk-bench}
          - model_name: embed
            litellm_params: {model: openai/embed, api_base: %1$s, api_key: sk-bench}
          - model_name: cut
            litellm_params: {model: openai/cut-s5x0, api_base: %1$s, api_key: sk-bench}
          - model_name: error
            litellm_params: {model: openai/error, api_base: %1$s, api_key: sk-bench}
          - model_name: stall
            litellm_params: {model: openai/silent, api_base: %1$s, api_key: sk-bench, stream_timeout: 0.5}
          - model_name: fast-bridged
            litellm_params:
              {model: openai/fast-s20x0, api_base: %1$s, api_key: sk-bench, use_chat_completions_api: true}
          - model_name: whisper
            litellm_params: {model: openai/whisper-1, api_base: %1$s, api_key: sk-bench}
          - model_name: embed-gemini
            litellm_params: {model: gemini/embed, api_base: %4$s, api_key: sk-bench}
          - model_name: claude-fast
            litellm_params: {model: anthropic/fast-s20x0, api_base: %1$s, api_key: sk-bench}
          - model_name: claude-paced
            litellm_params: {model: anthropic/paced-s%2$dx10, api_base: %1$s, api_key: sk-bench}
          - model_name: claude-long
            litellm_params:
              model: anthropic/long-s%3$dx1000
              api_base: %1$s
              api_key: sk-bench
              http2: true
              http2_max_streams: 20000
          - model_name: long-h1
            litellm_params:
              model: openai/long-s%3$dx1000
              api_base: %1$s
              api_key: sk-bench
              http2: false
          - model_name: long-h2
            litellm_params:
              model: openai/long-s%3$dx1000
              api_base: %1$s
              api_key: sk-bench
              http2: true
              http2_max_streams: 20000
        """
            .formatted(base, PACED_CHUNKS, LONG_STREAM_SECONDS, "http://127.0.0.1:" + upstreamPort);
    Path config = dir.resolve("bench-config.yaml");
    Files.writeString(config, yaml);
    return config;
  }

  // ---- 5. start to first 200

  private ChildJvm startAndTime(Path config) throws Exception {
    report.section(
        "5. Standalone start to first 200 (`java -jar target/feathergate.war`, then GET"
            + " /v1/models every 5 ms)");
    gatewayPort = freePort();
    // the build that just ran (Maven's JVM, its JIT and GC threads) is still using the cores
    Thread.sleep(TimeUnit.SECONDS.toMillis(QUICK ? 2 : 15));
    report.line(
        "Load average before the starts: %s", Files.readString(Path.of("/proc/loadavg")).trim());
    List<Double> seconds = new ArrayList<>();
    ChildJvm gateway = null;
    for (int run = 0; run < 3; run++) {
      if (gateway != null) {
        gateway.close();
      }
      long begin = System.nanoTime();
      gateway =
          ChildJvm.start(
              ChildJvm.gateway(GATEWAY_FLAGS, config, gatewayPort), dir.resolve("gateway.log"));
      awaitFirst200(gateway);
      seconds.add((System.nanoTime() - begin) / 1e9);
    }
    report.line(
        "Three starts: %s s (the first also unpacks the embedded Jetty into its cache).",
        String.join(
            " / ", seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList()));
    return gateway;
  }

  private void awaitFirst200(ChildJvm gateway) throws Exception {
    awaitFirst200(gateway, gatewayPort, "/v1/models");
  }

  private static void awaitFirst200(ChildJvm gateway, int port, String path) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!gateway.alive()) {
        throw new IllegalStateException("the gateway exited; see target/bench/gateway.log");
      }
      if (RawClient.answers200(port, path)) {
        return;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("the gateway did not answer within 60 s");
  }

  private void idleFigures(ChildJvm gateway, String label) throws Exception {
    Thread.sleep(1_000);
    report.line(
        "- %s: heap after GC **%.1f MB**, %d threads, RSS %.0f MB, %d open files",
        label, gateway.heapAfterGcMb(), gateway.threads(), gateway.rssMb(), gateway.openFiles());
  }

  /**
   * Load through the gateway before anything is measured, as a gateway in service has seen: until
   * the JIT has compiled the request path, its compiler threads take a good share of two cores and
   * every figure, the one-at-a-time tail above all, measures them.
   */
  private void warmUp() throws Exception {
    if (!Wrk.available()) {
      return;
    }
    report.section("Warm-up");
    for (boolean stream : new boolean[] {false, true}) {
      Wrk.Result result =
          Wrk.run(
              "http://127.0.0.1:" + gatewayPort + CHAT,
              RawClient.chatBody("fast", stream),
              32,
              WARMUP_SECONDS,
              dir);
      report.line(
          "%d s of %s requests through the gateway at 32 connections (%,d requests, not"
              + " reported).",
          WARMUP_SECONDS, stream ? "stream" : "non-stream", result.requests());
    }
  }

  // ---- 1. added latency one request at a time

  private void latency() throws IOException {
    report.section("1. Added latency, one request at a time (non-streaming chat completion)");
    byte[] direct = RawClient.post(CHAT, RawClient.chatBody("fast-s20x0", false));
    byte[] through = RawClient.post(CHAT, RawClient.chatBody("fast", false));
    long[] directNanos = new long[0];
    long[] gatewayNanos = new long[0];
    try (RawClient toUpstream = new RawClient(upstreamPort);
        RawClient toGateway = new RawClient(gatewayPort)) {
      // warm-up: JIT and connection pools on both paths
      toUpstream.times(direct, 5_000);
      toGateway.times(through, 5_000);
      int block = Math.min(1_000, LATENCY_REQUESTS);
      for (int done = 0; done < LATENCY_REQUESTS; done += block) {
        directNanos = Stats.concat(directNanos, toUpstream.times(direct, block));
        gatewayNanos = Stats.concat(gatewayNanos, toGateway.times(through, block));
      }
    }
    Stats d = new Stats(directNanos);
    Stats g = new Stats(gatewayNanos);
    report.line(
        "%d requests each way, alternating blocks of 1,000 on one keep-alive connection each.%n",
        LATENCY_REQUESTS);
    report.line("| | p50 | p90 | p99 | p99.9 |");
    report.line("|---|---:|---:|---:|---:|");
    report.line(row("direct", d));
    report.line(row("through the gateway", g));
    report.line(
        "| **added** | **%.3f ms** | %.3f ms | **%.3f ms** | %.3f ms |",
        ms(g.percentile(50) - d.percentile(50)),
        ms(g.percentile(90) - d.percentile(90)),
        ms(g.percentile(99) - d.percentile(99)),
        ms(g.percentile(99.9) - d.percentile(99.9)));
  }

  // ---- 10. virtual keys

  /**
   * A second gateway with a master key and an embedded key database: one request at a time with the
   * master key and with a virtual key (in memory after its first use; budget, limits and spend all
   * counted) in alternating blocks, then both under wrk, the virtual key's spend written in the
   * background all along.
   */
  private void virtualKeys() throws Exception {
    report.section(
        "10. Virtual keys: a key checked from memory against the master key, spend written while"
            + " loaded");
    try (KeyedGateway keysGateway = startKeyedGateway("keys", "", "")) {
      String key =
          keysGateway.generateKey(
              "{\"max_budget\":1000000,\"rpm_limit\":100000000,\"tpm_limit\":100000000000}");
      String url = "http://127.0.0.1:" + keysGateway.port + CHAT;
      String body = RawClient.chatBody("fast", false);
      if (Wrk.available()) {
        // both paths compiled before anything is timed
        Wrk.run(url, body, 32, WARMUP_SECONDS / 2, dir);
        Wrk.run(url, body, 32, WARMUP_SECONDS / 2, dir, key);
      }
      Stats[] timed =
          alternate(
              keysGateway.port,
              RawClient.post(CHAT, body),
              keysGateway.port,
              RawClient.post(CHAT, body, key));
      report.line(
          "%d requests each way, alternating blocks of 1,000, one at a time on one keep-alive"
              + " connection each (non-streaming chat).%n",
          LATENCY_REQUESTS);
      latencyTable(
          "master key",
          timed[0],
          "virtual key (budget, rpm and tpm limits, spend)",
          timed[1],
          "added by the key");
      if (!Wrk.available()) {
        return;
      }
      int seconds = QUICK ? 10 : 60;
      Wrk.Result byMaster = Wrk.run(url, body, 32, seconds, dir);
      Wrk.Result byKey = Wrk.run(url, body, 32, seconds, dir, key);
      report.line(
          "%nUnder load: wrk, 2 threads, 32 connections, %d s each; the virtual key's spend and"
              + " one spend-log row per request written every 5 s in the background.%n",
          seconds);
      wrkTable("credential", "master key", byMaster, "virtual key", byKey);
      String health = keysGateway.get("/health");
      report.line(
          "%nThe key database right after the load (`/health`): `%s`",
          health.replaceAll(".*(\"key_database\":\\{[^}]*\\}).*", "$1"));
      report.line(
          "- gateway with keys: heap after GC **%.1f MB**, %d threads, RSS %.0f MB",
          keysGateway.jvm.heapAfterGcMb(), keysGateway.jvm.threads(), keysGateway.jvm.rssMb());
    }
  }

  /**
   * The cost of sharing limits through Redis: two gateways with the same model group (an rpm limit)
   * and a virtual key (rpm and tpm limits), one counting in its own memory and one in a real
   * redis-server, measured alternately.
   */
  private void sharedState() throws Exception {
    report.section("11. Limits shared through Redis, against the same limits in memory");
    RedisProcess redis = startRedis();
    if (redis == null) {
      return;
    }
    int redisPort = redis.port();
    String limited =
        "  - model_name: limited\n"
            + "    litellm_params: {model: openai/fast-s20x0, api_base: http://127.0.0.1:"
            + upstreamPort
            + "/v1, api_key: sk-upstream, rpm: 100000000, tpm: 100000000000}\n";
    try (KeyedGateway local = startKeyedGateway("local", limited, "");
        KeyedGateway shared =
            startKeyedGateway(
                "redis",
                limited,
                "router_settings: {redis_host: 127.0.0.1, redis_port: " + redisPort + "}\n")) {
      String keyBody = "{\"rpm_limit\":100000000,\"tpm_limit\":100000000000}";
      String localKey = local.generateKey(keyBody);
      String sharedKey = shared.generateKey(keyBody);
      String body = RawClient.chatBody("limited", false);
      String localUrl = "http://127.0.0.1:" + local.port + CHAT;
      String sharedUrl = "http://127.0.0.1:" + shared.port + CHAT;
      if (Wrk.available()) {
        Wrk.run(localUrl, body, 32, WARMUP_SECONDS / 2, dir, localKey);
        Wrk.run(sharedUrl, body, 32, WARMUP_SECONDS / 2, dir, sharedKey);
      }
      Stats[] timed =
          alternate(
              local.port,
              RawClient.post(CHAT, body, localKey),
              shared.port,
              RawClient.post(CHAT, body, sharedKey));
      report.line(
          "A group with `rpm` and `tpm`, a key with `rpm_limit` and `tpm_limit`, far from"
              + " reached: two counted admissions per request (the group's and the key's), from"
              + " leases taken from Redis for the shared gateway, and the key's tokens settled in"
              + " Redis after each request. %d requests each way, alternating blocks of 1,000,"
              + " one at a time.%n",
          LATENCY_REQUESTS);
      latencyTable("limits in memory", timed[0], "limits in Redis", timed[1], "added by Redis");
      if (!Wrk.available()) {
        return;
      }
      int seconds = QUICK ? 10 : 30;
      Wrk.Result inMemory = Wrk.run(localUrl, body, 32, seconds, dir, localKey);
      Wrk.Result inRedis = Wrk.run(sharedUrl, body, 32, seconds, dir, sharedKey);
      Wrk.Result inMemoryAgain = Wrk.run(localUrl, body, 32, seconds, dir, localKey);
      Wrk.Result inRedisAgain = Wrk.run(sharedUrl, body, 32, seconds, dir, sharedKey);
      report.line("%nUnder load: wrk, 2 threads, 32 connections, %d s each, twice.%n", seconds);
      wrkTable("limits", "in memory", inMemory, "in Redis", inRedis);
      wrkTable("limits (again)", "in memory", inMemoryAgain, "in Redis", inRedisAgain);
      report.line(
          "%n`/health` of the shared gateway after the load: `%s`",
          shared.get("/health").replaceAll(".*(\"redis\":\\{[^}]*\\}).*", "$1"));
    } finally {
      redis.close();
    }
  }

  private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

  /** A redis-server without persistence on a free port, or null (reported) when not installed. */
  private RedisProcess startRedis() throws IOException {
    if (!Files.isExecutable(REDIS_SERVER)) {
      report.line("redis-server is not installed (apt-get install redis-server): skipped.");
      return null;
    }
    int port = freePort();
    Process process =
        new ProcessBuilder(
                REDIS_SERVER.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
            .start();
    return new RedisProcess(process, port);
  }

  /** A redis-server this benchmark started. */
  private record RedisProcess(Process process, int port) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  // ---- 12. response cache

  /**
   * The response cache: one request at a time, a hit from memory and a hit from Redis, each against
   * the same request sent upstream (its body says {@code no-cache} and {@code no-store}) on the
   * same gateway, in alternating blocks; then the three under wrk.
   */
  private void responseCache() throws Exception {
    report.section("12. Response cache: a hit from memory and from Redis against an upstream call");
    RedisProcess redis = startRedis();
    if (redis == null) {
      return;
    }
    try (redis;
        KeyedGateway local =
            startKeyedGateway(
                "cache-local",
                "",
                "litellm_settings: {callbacks: [prometheus], cache: true, cache_params: {type: local}}\n");
        KeyedGateway shared =
            startKeyedGateway(
                "cache-redis",
                "",
                "litellm_settings: {callbacks: [prometheus], cache: true, cache_params: {type: redis,"
                    + " host: 127.0.0.1,"
                    + " port: "
                    + redis.port()
                    + "}}\n")) {
      String cachedBody = RawClient.chatBody("fast", false);
      String upstreamBody =
          cachedBody.replace("}]}", "}],\"cache\":{\"no-cache\":true,\"no-store\":true}}");
      String localUrl = "http://127.0.0.1:" + local.port + CHAT;
      String sharedUrl = "http://127.0.0.1:" + shared.port + CHAT;
      if (Wrk.available()) {
        Wrk.run(localUrl, upstreamBody, 32, WARMUP_SECONDS / 4, dir);
        Wrk.run(localUrl, cachedBody, 32, WARMUP_SECONDS / 4, dir);
        Wrk.run(sharedUrl, upstreamBody, 32, WARMUP_SECONDS / 4, dir);
        Wrk.run(sharedUrl, cachedBody, 32, WARMUP_SECONDS / 4, dir);
      }
      report.line(
          "Non-streaming chat, one at a time on one keep-alive connection each, %d requests each"
              + " way in alternating blocks of 1,000; the upstream answers at once on loopback,"
              + " so a hit saves little here and the whole round trip to a real model there.%n",
          LATENCY_REQUESTS);
      Stats[] inMemory =
          alternate(
              local.port,
              RawClient.post(CHAT, upstreamBody),
              local.port,
              RawClient.post(CHAT, cachedBody));
      latencyTable(
          "upstream call", inMemory[0], "hit in memory", inMemory[1], "hit − upstream call");
      report.line("");
      Stats[] inRedis =
          alternate(
              shared.port,
              RawClient.post(CHAT, upstreamBody),
              shared.port,
              RawClient.post(CHAT, cachedBody));
      latencyTable("upstream call", inRedis[0], "hit in Redis", inRedis[1], "hit − upstream call");
      if (!Wrk.available()) {
        return;
      }
      int seconds = QUICK ? 10 : 30;
      Wrk.Result upstream = Wrk.run(localUrl, upstreamBody, 32, seconds, dir);
      Wrk.Result memoryHits = Wrk.run(localUrl, cachedBody, 32, seconds, dir);
      Wrk.Result redisHits = Wrk.run(sharedUrl, cachedBody, 32, seconds, dir);
      report.line("%nUnder load: wrk, 2 threads, 32 connections, %d s each.%n", seconds);
      wrkTable("answered by", "the upstream", upstream, "hits in memory", memoryHits);
      wrkTable("answered by (shared)", "the upstream", upstream, "hits in Redis", redisHits);
      report.line(
          "%n`/metrics` of the Redis gateway: %s",
          shared.get("/metrics").lines().filter(l -> l.startsWith("litellm_cache_")).toList());
    }
  }

  // ---- 14. soak

  /** Requests of the soak, 1,000,000 unless {@code bench.soak.requests} says. */
  private static final long SOAK_REQUESTS =
      Long.getLong("bench.soak.requests", QUICK ? 50_000 : 1_000_000);

  /**
   * A long mixed load on the main gateway: whole answers, streams, streams the upstream cuts,
   * upstream errors (whole and streamed) and a stream that stalls until its {@code stream_timeout},
   * taking turns on every connection; then its threads, open files and heap against where they
   * started.
   */
  private void soak(ChildJvm gateway) throws Exception {
    report.section("14. Soak: mixed requests, then the gateway's resources against its start");
    if (!Wrk.available()) {
      report.line("wrk is not installed and could not be installed: skipped.");
      return;
    }
    // out of 1,000: 600 whole answers, 250 streams, 50 cut streams, 50 upstream errors, 49 of them
    // streamed, 1 stream that stalls for 0.5 s
    List<String> bodies = new ArrayList<>(1_000);
    for (int slot = 0; slot < 1_000; slot++) {
      bodies.add(
          slot < 600
              ? RawClient.chatBody("fast", false)
              : slot < 850
                  ? RawClient.chatBody("fast", true)
                  : slot < 900
                      ? RawClient.chatBody("cut", true)
                      : slot < 950
                          ? RawClient.chatBody("error", false)
                          : slot < 999
                              ? RawClient.chatBody("error", true)
                              : RawClient.chatBody("stall", true));
    }
    Collections.shuffle(bodies, new Random(42));
    String url = "http://127.0.0.1:" + gatewayPort + CHAT;
    // every path compiled and every pool filled before the starting level is taken
    Wrk.runMixed(url, bodies, 32, QUICK ? 5 : 20, dir);
    Thread.sleep(5_000);
    double[] before = resources(gateway);
    long requests = 0;
    long non2xx = 0;
    long socketErrors = 0;
    int rounds = 0;
    List<String> rates = new ArrayList<>();
    long began = System.nanoTime();
    // bounded: at most 20 rounds of 60 s, whatever the rate
    while (requests < SOAK_REQUESTS && rounds < 20) {
      Wrk.Result round = Wrk.runMixed(url, bodies, 32, QUICK ? 10 : 60, dir);
      requests += round.requests();
      socketErrors += round.socketErrors();
      non2xx += round.errors() - round.socketErrors();
      rates.add(String.format(Locale.ROOT, "%.0f", round.requestsPerSecond()));
      rounds++;
    }
    long seconds = (System.nanoTime() - began) / 1_000_000_000L;
    Thread.sleep(10_000);
    double[] after = resources(gateway);
    Thread.sleep(75_000);
    double[] later = resources(gateway);
    report.line(
        "%,d requests in %d s (%d wrk rounds of 32 connections; req/s per round: %s): %,d answers"
            + " other than 2xx (15 %% of the mix fails upstream: errors and cut streams, the"
            + " latter a 2xx when the cut comes after a chunk went out), %,d socket errors or"
            + " timeouts. Mix out of 1,000: 600 whole answers, 250 streams"
            + " (20 chunks), 50 streams the upstream cuts after 5 chunks, 50 upstream errors, 49"
            + " streamed errors, 1 stream that stalls until its 0.5 s `stream_timeout`.%n",
        requests, seconds, rounds, String.join(", ", rates), non2xx, socketErrors);
    report.line("| | threads | open files | heap after GC | RSS |");
    report.line("|---|---:|---:|---:|---:|");
    for (var row :
        List.of(
            Map.entry("before (after a mixed warm-up)", before),
            Map.entry("10 s after the soak", after),
            Map.entry("75 s later (idle upstream connections closed)", later))) {
      report.line(
          "| %s | %.0f | %.0f | %.1f MB | %.0f MB |",
          row.getKey(), row.getValue()[0], row.getValue()[1], row.getValue()[2], row.getValue()[3]);
    }
  }

  /** Threads, open files, heap after GC (MB) and RSS (MB) of a gateway, in that order. */
  private static double[] resources(ChildJvm gateway) throws Exception {
    double heap = gateway.heapAfterGcMb();
    return new double[] {gateway.threads(), gateway.openFiles(), heap, gateway.rssMb()};
  }

  // ---- 13. memory settings

  /** The heap, GC, stack and code-cache flags the Dockerfile ships (systemd and Kubernetes too). */
  private static List<String> shippedFlags() throws IOException {
    for (String line : Files.readAllLines(Path.of("deploy", "docker", "Dockerfile"))) {
      if (line.startsWith("ENV JAVA_TOOL_OPTIONS=")) {
        String value = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
        return List.of(value.split(" "));
      }
    }
    throw new IllegalStateException("deploy/docker/Dockerfile sets no JAVA_TOOL_OPTIONS");
  }

  /** glibc's malloc arenas (one per thread that allocates, up to 8 a core) bounded at two. */
  private static final String ARENAS = "MALLOC_ARENA_MAX=2";

  /** {@code flags} with {@code replaced} (by option name, up to '=' or the size) swapped. */
  private static List<String> with(List<String> flags, String... replaced) {
    List<String> all = new ArrayList<>();
    for (String flag : flags) {
      boolean kept = true;
      for (String other : replaced) {
        if (optionName(flag).equals(optionName(other))
            || (isCollector(flag) && isCollector(other))) {
          kept = false;
        }
      }
      if (kept) {
        all.add(flag);
      }
    }
    all.addAll(List.of(replaced));
    return all;
  }

  private static boolean isCollector(String flag) {
    return flag.matches("-XX:[+-]Use\\w+GC");
  }

  private static String optionName(String flag) {
    if (flag.startsWith("-Xm") || flag.startsWith("-Xss")) {
      // -Xms32m, -Xmx256m, -Xss512k
      return flag.substring(0, 4);
    }
    int equals = flag.indexOf('=');
    return equals < 0 ? flag : flag.substring(0, equals);
  }

  /**
   * The memory a gateway holds against the requests a second it serves, by JVM settings: each set
   * starts a gateway of its own (same config, same WAR), idle, then under wrk, then idle again.
   */
  private void memorySettings(Path config) throws Exception {
    report.section("13. Memory against throughput, by JVM settings");
    if (!Wrk.available()) {
      report.line("wrk is not installed and could not be installed: skipped.");
      return;
    }
    List<String> shipped = shippedFlags();
    Map<String, List<String>> sets = new LinkedHashMap<>();
    sets.put("`java -jar`, no flags (the JVM's sizing, the launcher's G1 ratios)", List.of());
    sets.put("shipped (Dockerfile, systemd, Kubernetes)", shipped);
    // the launcher trims the C heap every 30 s unless this flag is given (NativeHeapTrim)
    sets.put(
        "shipped, without trimming the C heap (`-XX:TrimNativeHeapInterval=0`)",
        with(shipped, "-XX:TrimNativeHeapInterval=0"));
    sets.put("shipped, `MALLOC_ARENA_MAX=2`", with(shipped, ARENAS));
    sets.put("shipped, Serial GC", with(shipped, "-XX:+UseSerialGC", "-XX:G1PeriodicGCInterval=0"));
    sets.put(
        "shipped, Serial GC, `MALLOC_ARENA_MAX=2`",
        with(shipped, "-XX:+UseSerialGC", "-XX:G1PeriodicGCInterval=0", ARENAS));
    sets.put(
        "Serial GC, -Xmx128m, -Xss256k, code cache 32 MB, metaspace 96 MB, `MALLOC_ARENA_MAX=2`",
        with(
            shipped,
            "-XX:+UseSerialGC",
            "-XX:G1PeriodicGCInterval=0",
            "-Xmx128m",
            "-Xss256k",
            "-XX:ReservedCodeCacheSize=32m",
            "-XX:MaxMetaspaceSize=96m",
            ARENAS));
    sets.put(
        "shipped, C1 only (`-XX:TieredStopAtLevel=1`)", with(shipped, "-XX:TieredStopAtLevel=1"));
    int seconds = QUICK ? 5 : 20;
    report.line(
        "Each set: a new gateway, 40 s idle (RSS read at 5 s and at 40 s: G1's periodic collection"
            + " and the launcher's trim of the C heap run after 30 s), %d s of warm-up and %d s"
            + " measured under wrk (non-stream chat, 32 connections), then 35 s idle.%n",
        seconds, seconds);
    report.line(
        "| settings | idle RSS at 5 s / 40 s | idle heap after GC | req/s | RSS after the load"
            + " | heap after GC | RSS 35 s later | threads |");
    report.line("|---|---:|---:|---:|---:|---:|---:|---:|");
    String body = RawClient.chatBody("fast", false);
    for (Map.Entry<String, List<String>> set : sets.entrySet()) {
      int port = freePort();
      List<String> flags = new ArrayList<>();
      Map<String, String> environment = new LinkedHashMap<>();
      for (String flag : set.getValue()) {
        int equals = flag.indexOf('=');
        if (flag.startsWith("-")) {
          flags.add(flag);
        } else {
          // NAME=value: the environment's
          environment.put(flag.substring(0, equals), flag.substring(equals + 1));
        }
      }
      try (ChildJvm gateway =
          ChildJvm.start(
              ChildJvm.gateway(flags, config, port),
              dir.resolve("gateway-memory.log"),
              environment)) {
        awaitFirst200(gateway, port, "/v1/models");
        Thread.sleep(5_000);
        double idleRss = gateway.rssMb();
        Thread.sleep(35_000);
        double settledRss = gateway.rssMb();
        double idleHeap = gateway.heapAfterGcMb();
        String url = "http://127.0.0.1:" + port + CHAT;
        Wrk.run(url, body, 32, seconds, dir);
        Wrk.Result load = Wrk.run(url, body, 32, seconds, dir);
        double loadedRss = gateway.rssMb();
        double loadedHeap = gateway.heapAfterGcMb();
        Thread.sleep(35_000);
        report.line(
            "| %s | %.0f / %.0f MB | %.1f MB | %.0f | %.0f MB | %.1f MB | %.0f MB | %d |",
            set.getKey(),
            idleRss,
            settledRss,
            idleHeap,
            load.requestsPerSecond(),
            loadedRss,
            loadedHeap,
            gateway.rssMb(),
            gateway.threads());
      }
    }
    report.line("%nFlags of the shipped set: `%s`", String.join(" ", shipped));
  }

  /** Two kinds of request, timed one at a time in alternating blocks of 1,000. */
  private static Stats[] alternate(int portA, byte[] requestA, int portB, byte[] requestB)
      throws IOException {
    long[] nanosA = new long[0];
    long[] nanosB = new long[0];
    try (RawClient a = new RawClient(portA);
        RawClient b = new RawClient(portB)) {
      a.times(requestA, 5_000);
      b.times(requestB, 5_000);
      int block = Math.min(1_000, LATENCY_REQUESTS);
      for (int done = 0; done < LATENCY_REQUESTS; done += block) {
        nanosA = Stats.concat(nanosA, a.times(requestA, block));
        nanosB = Stats.concat(nanosB, b.times(requestB, block));
      }
    }
    return new Stats[] {new Stats(nanosA), new Stats(nanosB)};
  }

  private void latencyTable(String nameA, Stats a, String nameB, Stats b, String added) {
    report.line("| | p50 | p90 | p99 | p99.9 |");
    report.line("|---|---:|---:|---:|---:|");
    report.line(row(nameA, a));
    report.line(row(nameB, b));
    report.line(
        "| **%s** | **%.1f µs** | %.1f µs | **%.1f µs** | %.1f µs |",
        added,
        (b.percentile(50) - a.percentile(50)) / 1e3,
        (b.percentile(90) - a.percentile(90)) / 1e3,
        (b.percentile(99) - a.percentile(99)) / 1e3,
        (b.percentile(99.9) - a.percentile(99.9)) / 1e3);
  }

  private void wrkTable(String what, String nameA, Wrk.Result a, String nameB, Wrk.Result b) {
    report.line("| %s | req/s | p50 | p99 | errors |", what);
    report.line("|---|---:|---:|---:|---:|");
    for (var run : List.of(java.util.Map.entry(nameA, a), java.util.Map.entry(nameB, b))) {
      report.line(
          "| %s | %.0f | %.2f ms | %.2f ms | %d |",
          run.getKey(),
          run.getValue().requestsPerSecond(),
          run.getValue().p50Millis(),
          run.getValue().p99Millis(),
          run.getValue().errors());
    }
  }

  /**
   * A gateway in a JVM of its own with a master key ({@code sk-bench}) and a fresh embedded key
   * database, serving {@code fast} and {@code extraModels}, with {@code extraSettings} at the top
   * level of its config.
   */
  private KeyedGateway startKeyedGateway(String name, String extraModels, String extraSettings)
      throws Exception {
    Path keysDir = dir.resolve(name + "-db");
    if (Files.exists(keysDir)) {
      try (var files = Files.walk(keysDir)) {
        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    String base = "http://127.0.0.1:" + upstreamPort + "/v1";
    Path config = dir.resolve("bench-" + name + "-config.yaml");
    Files.writeString(
        config,
        """
        model_list:
          - model_name: fast
            litellm_params: {model: openai/fast-s20x0, api_base: %s, api_key: sk-upstream}
            model_info: {input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}
        %sgeneral_settings:
          master_key: sk-bench
          database_url: "jdbc:h2:file:%s"
        %s"""
            .formatted(base, extraModels, keysDir.resolve("keys").toAbsolutePath(), extraSettings));
    int port = freePort();
    ChildJvm jvm =
        ChildJvm.start(
            ChildJvm.gateway(List.of(), config, port), dir.resolve("gateway-" + name + ".log"));
    try {
      // a gateway with a master key answers its models only with the key: the public probe
      awaitFirst200(jvm, port, "/health/liveliness");
    } catch (Exception e) {
      jvm.close();
      throw e;
    }
    return new KeyedGateway(jvm, port);
  }

  /** A gateway started by {@link #startKeyedGateway}. */
  private static final class KeyedGateway implements AutoCloseable {
    final ChildJvm jvm;
    final int port;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

    KeyedGateway(ChildJvm jvm, int port) {
      this.jvm = jvm;
      this.port = port;
    }

    String generateKey(String body) throws Exception {
      String made =
          http.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + port + "/key/generate"))
                      .header("Authorization", "Bearer sk-bench")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      return made.replaceAll(".*\"key\":\"(sk-[^\"]+)\".*", "$1");
    }

    String get(String path) throws Exception {
      return http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + port + path))
                  .header("Authorization", "Bearer sk-bench")
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString())
          .body();
    }

    @Override
    public void close() throws Exception {
      jvm.close();
    }
  }

  private static String row(String name, Stats stats) {
    return String.format(
        Locale.ROOT,
        "| %s | %.3f ms | %.3f ms | %.3f ms | %.3f ms |",
        name,
        ms(stats.percentile(50)),
        ms(stats.percentile(90)),
        ms(stats.percentile(99)),
        ms(stats.percentile(99.9)));
  }

  // ---- 6. Anthropic's Messages API

  /**
   * {@code /v1/messages} passed through to an Anthropic upstream and translated to an OpenAI one,
   * each against the same upstream called directly in its own API, in alternating blocks.
   */
  private void messages() throws IOException {
    report.section("6. /v1/messages: added latency and time to first event");
    byte[][][] pairs = {
      {
        RawClient.post(MESSAGES, RawClient.messagesBody("fast-s20x0", false)),
        RawClient.post(MESSAGES, RawClient.messagesBody("claude-fast", false))
      },
      {
        RawClient.post(CHAT, RawClient.chatBody("fast-s20x0", false)),
        RawClient.post(MESSAGES, RawClient.messagesBody("fast", false))
      }
    };
    addedLatency(
        "/v1/messages", new String[] {"pass-through (anthropic/)", "translated (openai/)"}, pairs);
    byte[] directEvents =
        RawClient.post(MESSAGES, RawClient.messagesBody("paced-s" + PACED_CHUNKS + "x10", true));
    byte[] passedEvents = RawClient.post(MESSAGES, RawClient.messagesBody("claude-paced", true));
    byte[] directChunks =
        RawClient.post(CHAT, RawClient.chatBody("paced-s" + PACED_CHUNKS + "x10", true));
    byte[] translatedEvents = RawClient.post(MESSAGES, RawClient.messagesBody("paced", true));
    long[][] direct = {new long[0], new long[0]};
    long[][] passed = {new long[0], new long[0]};
    long[] directFirst = new long[0];
    long[] translatedFirst = new long[0];
    try (RawClient toUpstream = new RawClient(upstreamPort);
        RawClient toGateway = new RawClient(gatewayPort)) {
      streams(toGateway, passedEvents, 20, new long[][] {new long[0], new long[0]});
      firstEvents(toGateway, translatedEvents, 20);
      for (int done = 0; done < TTFT_STREAMS; done += 20) {
        streams(toUpstream, directEvents, 20, direct);
        streams(toGateway, passedEvents, 20, passed);
        directFirst = Stats.concat(directFirst, firstEvents(toUpstream, directChunks, 20));
        translatedFirst =
            Stats.concat(translatedFirst, firstEvents(toGateway, translatedEvents, 20));
      }
    }
    Stats dFirst = new Stats(direct[0]);
    Stats pFirst = new Stats(passed[0]);
    Stats dChunk = new Stats(direct[1]);
    Stats pChunk = new Stats(passed[1]);
    Stats cFirst = new Stats(directFirst);
    Stats tFirst = new Stats(translatedFirst);
    report.line(
        "%nStreams: %d each way, one at a time, %d deltas 10 ms apart; the translated stream's"
            + " events carry no upstream timestamp, so only its first event is timed.%n",
        TTFT_STREAMS, PACED_CHUNKS);
    report.line("| /v1/messages stream | added first event p50 | p99 | added per-event p50 |");
    report.line("|---|---:|---:|---:|");
    report.line(
        "| pass-through (anthropic/) | **%.3f ms** | %.3f ms | %.3f ms |",
        ms(pFirst.percentile(50) - dFirst.percentile(50)),
        ms(pFirst.percentile(99) - dFirst.percentile(99)),
        (pChunk.percentile(50) - dChunk.percentile(50)) / 1e3);
    report.line(
        "| translated (openai/) | **%.3f ms** | %.3f ms | - |",
        ms(tFirst.percentile(50) - cFirst.percentile(50)),
        ms(tFirst.percentile(99) - cFirst.percentile(99)));
  }

  /**
   * Whole calls one at a time, each pair's direct call (the upstream in its own API) and the
   * gateway's in alternating blocks of 1,000 on a keep-alive connection each; a table row a pair.
   */
  private void addedLatency(String route, String[] names, byte[][][] pairs) throws IOException {
    int requests = LATENCY_REQUESTS / 2;
    report.line(
        "Non-streamed: %d requests each way, alternating blocks of 1,000 on one keep-alive"
            + " connection each; the direct call is the same upstream in its own API.%n",
        requests);
    report.line("| %s | direct p50 | gateway p50 | **added p50** | **added p99** |", route);
    report.line("|---|---:|---:|---:|---:|");
    try (RawClient toUpstream = new RawClient(upstreamPort);
        RawClient toGateway = new RawClient(gatewayPort)) {
      for (int i = 0; i < pairs.length; i++) {
        toUpstream.times(pairs[i][0], 3_000);
        toGateway.times(pairs[i][1], 3_000);
        long[] direct = new long[0];
        long[] through = new long[0];
        for (int done = 0; done < requests; done += 1_000) {
          direct = Stats.concat(direct, toUpstream.times(pairs[i][0], 1_000));
          through = Stats.concat(through, toGateway.times(pairs[i][1], 1_000));
        }
        Stats d = new Stats(direct);
        Stats g = new Stats(through);
        report.line(
            "| %s | %.3f ms | %.3f ms | **%.3f ms** | **%.3f ms** |",
            names[i],
            ms(d.percentile(50)),
            ms(g.percentile(50)),
            ms(g.percentile(50) - d.percentile(50)),
            ms(g.percentile(99) - d.percentile(99)));
      }
    }
  }

  // ---- 7. embeddings

  /**
   * {@code /v1/embeddings} passed through to an OpenAI upstream and translated for a Gemini one
   * (1,536-dimension vectors), each against the same upstream called directly in its own API.
   */
  private void embeddings() throws IOException {
    report.section("7. /v1/embeddings: added latency (1,536-dimension vectors)");
    String input = "{\"model\":\"%s\",\"input\":[\"The quick brown fox\",\"jumps over\"]}";
    byte[][][] pairs = {
      {
        RawClient.post("/v1/embeddings", input.formatted("embed")),
        RawClient.post("/v1/embeddings", input.formatted("embed"))
      },
      {
        RawClient.post(
            "/v1beta/models/embed:batchEmbedContents",
            "{\"requests\":[{\"model\":\"models/embed\",\"content\":{\"parts\":[{\"text\":"
                + "\"The quick brown fox\"}]}},{\"model\":\"models/embed\",\"content\":"
                + "{\"parts\":[{\"text\":\"jumps over\"}]}}]}"),
        RawClient.post("/v1/embeddings", input.formatted("embed-gemini"))
      }
    };
    addedLatency(
        "/v1/embeddings", new String[] {"pass-through (openai/)", "translated (gemini/)"}, pairs);
  }

  // ---- 8. the Responses API

  /**
   * {@code /v1/responses} passed through to an OpenAI upstream and bridged through chat, each
   * against the same upstream called directly: added latency, and added time to the first event.
   */
  private void responses() throws IOException {
    report.section("8. /v1/responses: added latency and time to first event");
    String body = "{\"model\":\"%s\",\"input\":\"Hello!\",\"stream\":%s}";
    byte[][][] pairs = {
      {
        RawClient.post("/v1/responses", body.formatted("fast", false)),
        RawClient.post("/v1/responses", body.formatted("fast", false))
      },
      {
        RawClient.post(CHAT, RawClient.chatBody("fast-s20x0", false)),
        RawClient.post("/v1/responses", body.formatted("fast-bridged", false))
      }
    };
    addedLatency(
        "/v1/responses", new String[] {"pass-through (openai/)", "bridged through chat"}, pairs);
    byte[] directEvents = RawClient.post("/v1/responses", body.formatted("fast", true));
    byte[] passedEvents = RawClient.post("/v1/responses", body.formatted("fast", true));
    byte[] directChunks = RawClient.post(CHAT, RawClient.chatBody("fast-s20x0", true));
    byte[] bridgedEvents = RawClient.post("/v1/responses", body.formatted("fast-bridged", true));
    long[][] first = new long[4][];
    try (RawClient toUpstream = new RawClient(upstreamPort);
        RawClient toGateway = new RawClient(gatewayPort)) {
      firstEvents(toGateway, passedEvents, 100);
      firstEvents(toGateway, bridgedEvents, 100);
      for (int i = 0; i < 4; i++) {
        first[i] = new long[0];
      }
      for (int done = 0; done < TTFT_STREAMS; done += 20) {
        first[0] = Stats.concat(first[0], firstEvents(toUpstream, directEvents, 20));
        first[1] = Stats.concat(first[1], firstEvents(toGateway, passedEvents, 20));
        first[2] = Stats.concat(first[2], firstEvents(toUpstream, directChunks, 20));
        first[3] = Stats.concat(first[3], firstEvents(toGateway, bridgedEvents, 20));
      }
    }
    report.line("%nStreams: %d each way, one at a time.%n", TTFT_STREAMS);
    report.line("| /v1/responses stream | added first event p50 | p99 |");
    report.line("|---|---:|---:|");
    String[] names = {"pass-through (openai/)", "bridged through chat"};
    for (int i = 0; i < 2; i++) {
      Stats direct = new Stats(first[2 * i]);
      Stats gateway = new Stats(first[2 * i + 1]);
      report.line(
          "| %s | **%.3f ms** | %.3f ms |",
          names[i],
          ms(gateway.percentile(50) - direct.percentile(50)),
          ms(gateway.percentile(99) - direct.percentile(99)));
    }
  }

  // ---- 9. an audio upload

  /**
   * A 25 MB transcription upload, five times, while the gateway's heap is sampled throughout: the
   * upload goes to disk and upstream from there, so the heap should not grow by the file's size.
   */
  private void upload(ChildJvm gateway) throws Exception {
    report.section("9. /v1/audio/transcriptions: a 25 MB upload and the gateway's heap");
    byte[] file = new byte[25 * 1000 * 1000];
    new java.util.Random(1).nextBytes(file);
    String boundary = "bench-boundary-0001";
    java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream(file.length + 512);
    form.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n"
                + "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\";"
                + " filename=\"speech.wav\"\r\nContent-Type: audio/wav\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    form.writeBytes(file);
    form.writeBytes(
        ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] body = form.toByteArray();
    double before = gateway.heapAfterGcMb();
    AtomicBoolean uploading = new AtomicBoolean(true);
    double[] peak = {0};
    Thread sampler =
        new Thread(
            () -> {
              while (uploading.get()) {
                try {
                  peak[0] = Math.max(peak[0], gateway.heapUsedMb());
                  Thread.sleep(20);
                } catch (Exception e) {
                  return;
                }
              }
            });
    sampler.start();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long[] millis = new long[5];
    for (int i = 0; i < millis.length; i++) {
      long begin = System.nanoTime();
      java.net.http.HttpResponse<String> answer =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          "http://127.0.0.1:" + gatewayPort + "/v1/audio/transcriptions"))
                  .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                  .header("Authorization", "Bearer sk-bench")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      millis[i] = (System.nanoTime() - begin) / 1_000_000;
      if (answer.statusCode() != 200) {
        throw new IOException("upload answered " + answer.statusCode() + ": " + answer.body());
      }
    }
    uploading.set(false);
    sampler.join();
    double after = gateway.heapAfterGcMb();
    report.line(
        "Five uploads of a %.1f MB form (a 25.0 MB file), one at a time: %s ms each.%n",
        body.length / 1e6, java.util.Arrays.toString(millis));
    report.line("| gateway heap | MB |");
    report.line("|---|---:|");
    report.line("| after GC, before the uploads | %.1f |", before);
    report.line(
        "| **highest in use while uploading** (sampled with jcmd throughout, no GC forced) | **%.1f** |",
        peak[0]);
    report.line("| after GC, after the uploads | %.1f |", after);
  }

  /** The time to the first event of {@code count} streams, their events not timed. */
  private static long[] firstEvents(RawClient client, byte[] request, int count)
      throws IOException {
    long[] first = new long[count];
    for (int i = 0; i < count; i++) {
      first[i] = client.stream(request, 0).firstEventNanos();
    }
    return first;
  }

  // ---- 3. time to first token and per-chunk delay

  private void firstTokenAndChunks() throws IOException {
    report.section("3. Added time to first token and per-chunk delay (streams)");
    byte[] direct =
        RawClient.post(CHAT, RawClient.chatBody("paced-s" + PACED_CHUNKS + "x10", true));
    byte[] through = RawClient.post(CHAT, RawClient.chatBody("paced", true));
    long[][] directTimes = {new long[0], new long[0]};
    long[][] gatewayTimes = {new long[0], new long[0]};
    try (RawClient toUpstream = new RawClient(upstreamPort);
        RawClient toGateway = new RawClient(gatewayPort)) {
      streams(toUpstream, direct, 20, new long[][] {new long[0], new long[0]});
      streams(toGateway, through, 20, new long[][] {new long[0], new long[0]});
      for (int done = 0; done < TTFT_STREAMS; done += 20) {
        streams(toUpstream, direct, 20, directTimes);
        streams(toGateway, through, 20, gatewayTimes);
      }
    }
    Stats dFirst = new Stats(directTimes[0]);
    Stats gFirst = new Stats(gatewayTimes[0]);
    Stats dChunk = new Stats(directTimes[1]);
    Stats gChunk = new Stats(gatewayTimes[1]);
    report.line(
        "%d streams each way, one at a time, each %d chunks 10 ms apart. Time to first token: from"
            + " sending the request to the first event. Chunk delay: from the upstream writing a"
            + " chunk (its timestamp travels in the chunk) to the client reading it.%n",
        TTFT_STREAMS, PACED_CHUNKS);
    report.line("| | TTFT p50 | TTFT p99 | chunk delay p50 | chunk delay p99 |");
    report.line("|---|---:|---:|---:|---:|");
    report.line(streamRow("direct", dFirst, dChunk));
    report.line(streamRow("through the gateway", gFirst, gChunk));
    report.line(
        "| **added** | **%.3f ms** | %.3f ms | **%.3f ms** | %.3f ms |",
        ms(gFirst.percentile(50) - dFirst.percentile(50)),
        ms(gFirst.percentile(99) - dFirst.percentile(99)),
        (gChunk.percentile(50) - dChunk.percentile(50)) / 1e3,
        (gChunk.percentile(99) - dChunk.percentile(99)) / 1e3);
    firstTokenBackToBack();
  }

  /**
   * The time to the first token again, with each stream sent as soon as the last one ended. The
   * paced streams above start 100 ms apart, each after a 10 ms gap in which every thread on both
   * sides went to sleep, and their figure includes waking them: a one-chunk stream or a whole
   * answer, one at a time, took 0.10-0.11 ms longer through the gateway when sent back to back and
   * 0.42-0.44 ms longer with 20 ms between them (the direct figure itself went from 0.02 to
   * 0.26-0.27 ms), on this kind of two-core virtual machine.
   */
  private void firstTokenBackToBack() throws IOException {
    byte[] direct = RawClient.post(CHAT, RawClient.chatBody("fast-s20x0", true));
    byte[] through = RawClient.post(CHAT, RawClient.chatBody("fast", true));
    long[] directFirst = new long[0];
    long[] gatewayFirst = new long[0];
    try (RawClient toUpstream = new RawClient(upstreamPort);
        RawClient toGateway = new RawClient(gatewayPort)) {
      firstChunks(toUpstream, direct, 200);
      firstChunks(toGateway, through, 200);
      for (int done = 0; done < BACK_TO_BACK_STREAMS; done += 200) {
        directFirst = Stats.concat(directFirst, firstChunks(toUpstream, direct, 200));
        gatewayFirst = Stats.concat(gatewayFirst, firstChunks(toGateway, through, 200));
      }
    }
    Stats d = new Stats(directFirst);
    Stats g = new Stats(gatewayFirst);
    report.line(
        "%nBack to back: %d streams each way (20 chunks, no gap), each sent when the last ended,"
            + " in alternating blocks of 200.%n",
        BACK_TO_BACK_STREAMS);
    report.line("| | TTFT p50 | TTFT p99 |");
    report.line("|---|---:|---:|");
    report.line("| direct | %.3f ms | %.3f ms |", ms(d.percentile(50)), ms(d.percentile(99)));
    report.line(
        "| through the gateway | %.3f ms | %.3f ms |", ms(g.percentile(50)), ms(g.percentile(99)));
    report.line(
        "| **added** | **%.3f ms** | %.3f ms |",
        ms(g.percentile(50) - d.percentile(50)), ms(g.percentile(99) - d.percentile(99)));
  }

  private static long[] firstChunks(RawClient client, byte[] request, int count)
      throws IOException {
    long[] first = new long[count];
    for (int i = 0; i < count; i++) {
      first[i] = client.firstChunk(request);
    }
    return first;
  }

  private static String streamRow(String name, Stats first, Stats chunkMicros) {
    return String.format(
        Locale.ROOT,
        "| %s | %.3f ms | %.3f ms | %.3f ms | %.3f ms |",
        name,
        ms(first.percentile(50)),
        ms(first.percentile(99)),
        chunkMicros.percentile(50) / 1e3,
        chunkMicros.percentile(99) / 1e3);
  }

  private static void streams(RawClient client, byte[] request, int count, long[][] into)
      throws IOException {
    long[] first = new long[count];
    long[] chunks = new long[0];
    for (int i = 0; i < count; i++) {
      StreamTiming timing = client.stream(request, PACED_CHUNKS);
      first[i] = timing.firstEventNanos();
      // the first chunk's delay includes the request: the later ones measure forwarding alone
      long[] later = new long[timing.chunkDelayMicros().length - 1];
      System.arraycopy(timing.chunkDelayMicros(), 1, later, 0, later.length);
      chunks = Stats.concat(chunks, later);
    }
    into[0] = Stats.concat(into[0], first);
    into[1] = Stats.concat(into[1], chunks);
  }

  // ---- 2. throughput

  private void throughput() throws Exception {
    report.section(
        "2. Throughput and latency under load (wrk, 2 threads, " + WRK_SECONDS + " s per run)");
    if (!Wrk.available()) {
      report.line("wrk is not installed and could not be installed: skipped.");
      return;
    }
    report.line(
        "Streams are 20 chunks with no gap, read to the end. Everything (wrk, gateway, upstream)"
            + " shares the two cores.%n");
    report.line(
        "| kind | connections | direct req/s | gateway req/s | gateway/direct | direct p50 / p99 | gateway p50 / p99 | errors (direct, gateway) |");
    report.line("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (boolean stream : new boolean[] {false, true}) {
      for (int connections : new int[] {32, 128}) {
        String directBody = RawClient.chatBody("fast-s20x0", stream);
        String gatewayBody = RawClient.chatBody("fast", stream);
        Wrk.Result direct =
            Wrk.run(
                "http://127.0.0.1:" + upstreamPort + CHAT,
                directBody,
                connections,
                WRK_SECONDS,
                dir);
        Wrk.Result through =
            Wrk.run(
                "http://127.0.0.1:" + gatewayPort + CHAT,
                gatewayBody,
                connections,
                WRK_SECONDS,
                dir);
        report.line(
            "| %s | %d | %.0f | %.0f | **%.0f %%** | %.2f / %.2f ms | %.2f / %.2f ms | %d, %d |",
            stream ? "stream" : "non-stream",
            connections,
            direct.requestsPerSecond(),
            through.requestsPerSecond(),
            100 * through.requestsPerSecond() / direct.requestsPerSecond(),
            direct.p50Millis(),
            direct.p99Millis(),
            through.p50Millis(),
            through.p99Millis(),
            direct.errors(),
            through.errors());
      }
    }
  }

  // ---- 4. many long-lived streams

  private void longStreams(ChildJvm gateway, String model, String label, String path)
      throws Exception {
    report.section(
        String.format(
            Locale.ROOT,
            "4. %,d concurrent streams, one chunk a second for %d s: %s",
            LONG_STREAMS,
            LONG_STREAM_SECONDS,
            label));
    Thread.sleep(2_000); // let connections of earlier phases close
    int threadsBefore = gateway.threads();
    double[] peak = new double[3]; // threads, RSS MB, open files
    double[] heapUnderLoad = {Double.NaN};
    AtomicBoolean running = new AtomicBoolean(true);
    long rampMillis = 1_000L * LONG_STREAMS / OPEN_PER_SECOND;
    Thread sampler =
        new Thread(
            () -> {
              long begin = System.nanoTime();
              boolean heapTaken = false;
              while (running.get()) {
                peak[0] = Math.max(peak[0], gateway.threads());
                peak[1] = Math.max(peak[1], gateway.rssMb());
                peak[2] = Math.max(peak[2], gateway.openFiles());
                long elapsed = (System.nanoTime() - begin) / 1_000_000;
                if (!heapTaken && elapsed > rampMillis + LONG_STREAM_SECONDS * 1_000L / 3) {
                  heapTaken = true;
                  try {
                    heapUnderLoad[0] = gateway.heapAfterGcMb();
                  } catch (Exception e) {
                    heapUnderLoad[0] = Double.NaN;
                  }
                }
                try {
                  Thread.sleep(1_000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-sampler");
    sampler.start();
    StreamSwarm.Result result;
    try {
      result =
          StreamSwarm.run(
              gatewayPort,
              path.equals(MESSAGES)
                  ? RawClient.post(MESSAGES, RawClient.messagesBody(model, true))
                  : RawClient.post(CHAT, RawClient.chatBody(model, true)),
              path.equals(MESSAGES) ? StreamSwarm.MESSAGES_MARKERS : StreamSwarm.CHAT_MARKERS,
              LONG_STREAMS,
              OPEN_PER_SECOND,
              rampMillis + LONG_STREAM_SECONDS * 1_000L + 60_000);
    } finally {
      running.set(false);
      sampler.join();
    }
    report.line(
        "Opened %,d streams at %,d a second; completed %,d; **errors %,d**; at most %,d open at"
            + " once.",
        result.opened(), OPEN_PER_SECOND, result.completed(), result.failed(), result.peakOpen());
    result.failures().forEach((why, count) -> report.line("- %,d × %s", count, why));
    report.line(
        "%nGateway: threads %d before, **%.0f at peak**; heap after GC under load **%.1f MB**;"
            + " RSS at peak %.0f MB; open files at peak %.0f.",
        threadsBefore, peak[0], heapUnderLoad[0], peak[1], peak[2]);
  }

  // ---- 15. peers

  /**
   * FeatherGate as shipped and every peer installed, one after another against the same upstream,
   * each through {@link Peers#measure}; the upstream's own figures first, for the shares.
   */
  private void peers(Path config) throws Exception {
    report.section(
        "15. Beside the peers (each alone on the machine with the upstream and the load)");
    if (!Wrk.available()) {
      report.line("wrk is not installed and could not be installed: skipped.");
      return;
    }
    List<String> missing = new ArrayList<>();
    String named = System.getProperty("bench.peers.dir", "");
    Path peersDir =
        named.isEmpty()
            ? Path.of(System.getProperty("user.home"), ".cache", "feathergate-peers")
            : Path.of(named);
    List<String> shipped = shippedFlags();
    List<Peers.Target> targets =
        Peers.targets(peersDir, dir.toAbsolutePath(), config, shipped, upstreamPort, missing);
    String upstream = "http://127.0.0.1:" + upstreamPort + CHAT;
    Wrk.Result directAnswers =
        Wrk.run(upstream, RawClient.chatBody("fast-s20x0", false), 32, WRK_SECONDS, dir);
    Wrk.Result directStreams =
        Wrk.run(upstream, RawClient.chatBody("fast-s20x0", true), 32, WRK_SECONDS, dir);
    report.line(
        "Each target started alone (the main gateway idle), %d s of warm-up, then %,d requests one"
            + " at a time against as many direct, 40 paced streams each way for the first token,"
            + " and wrk at 32 connections for %d s, whole answers then streams of 20 chunks."
            + " FeatherGate runs with the Dockerfile's flags (`%s`). Direct: %,.0f answers/s,"
            + " %,.0f streams/s.%n",
        PEER_WARMUP_SECONDS,
        PEER_ONE_AT_A_TIME,
        WRK_SECONDS,
        String.join(" ", shipped),
        directAnswers.requestsPerSecond(),
        directStreams.requestsPerSecond());
    report.line(
        "| target | answers/s at 32 connections | share of direct | added p50 / p99 | added time to"
            + " first token | streams/s | share of direct | RSS idle / after load | start to"
            + " first answer | errors |");
    report.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Peers.Target target : targets) {
      Thread.sleep(2_000); // connections of the last target closed
      try {
        Peers.Row row =
            Peers.measure(
                target, upstreamPort, dir, PEER_WARMUP_SECONDS, PEER_ONE_AT_A_TIME, WRK_SECONDS);
        report.line(
            "| %s | %,.0f | %.0f %% | %+.3f / %+.3f ms | %+.3f ms | %,.0f | %.0f %% | %.0f / %.0f MB"
                + " | %.2f s | %d |",
            row.name(),
            row.requestsPerSecond(),
            100 * row.requestsPerSecond() / directAnswers.requestsPerSecond(),
            row.addedP50Millis(),
            row.addedP99Millis(),
            row.addedFirstTokenMillis(),
            row.streamsPerSecond(),
            100 * row.streamsPerSecond() / directStreams.requestsPerSecond(),
            row.idleRssMb(),
            row.loadedRssMb(),
            row.startSeconds(),
            row.errors());
      } catch (Exception e) {
        report.line("| %s | failed: %s | | | | | | | | |", target.name(), e.getMessage());
      }
    }
    if (!missing.isEmpty()) {
      report.line("%nNot measured: %s.", String.join("; ", missing));
    }
  }

  // ---- 16. long fuzzing runs

  /** Each parser of what others send, fuzzed for ten million inputs (the short runs: .ci/run). */
  private static final List<String> LONG_FUZZ_RUNS =
      List.of(
          "io.feathergate.api.ClientParsersFuzzTest#requestBodiesLongRun",
          "io.feathergate.api.ClientParsersFuzzTest#multipartUploadsLongRun",
          "io.feathergate.transport.FrameDecodersFuzzTest#framesLongRun",
          "io.feathergate.provider.ProviderStreamsFuzzTest#eventsLongRun",
          "io.feathergate.config.ConfigLoaderFuzzTest#configsLongRun",
          "io.feathergate.core.cache.CacheEntriesFuzzTest#entriesLongRun");

  /** libFuzzer's closing line: how many inputs ran, in how long. */
  private static final Pattern FUZZ_DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");

  /**
   * Jazzer's long runs, one at a time, each in a Maven run of its own as {@code .ci/run} does its
   * short ones; a finding fails that run and leaves its input under {@code src/test/resources}.
   * {@code -Dbench.fuzz.only=<method>} runs the long runs whose name contains it.
   */
  private void longFuzzing() throws Exception {
    report.section("16. Fuzzing: long runs (Jazzer, ten million inputs each)");
    report.line("| target | inputs | seconds | inputs/s | result |");
    report.line("|---|---:|---:|---:|---|");
    String only = System.getProperty("bench.fuzz.only", "");
    for (String target : LONG_FUZZ_RUNS) {
      if (!target.contains(only)) {
        continue;
      }
      Path log = dir.resolve("fuzz-" + target.substring(target.indexOf('#') + 1) + ".log");
      ProcessBuilder maven =
          new ProcessBuilder(
                  "mvn",
                  "-B",
                  "-o",
                  "test",
                  "-Djacoco.skip=true",
                  "-Dspotless.check.skip=true",
                  "-Dtest=" + target,
                  "-Dsurefire.failIfNoSpecifiedTests=false")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      maven.environment().put("JAZZER_FUZZ", "1");
      int exit = maven.start().waitFor();
      Matcher done = FUZZ_DONE.matcher(Files.readString(log));
      long inputs = 0;
      long seconds = 0;
      while (done.find()) {
        inputs = Long.parseLong(done.group(1));
        seconds = Long.parseLong(done.group(2));
      }
      report.line(
          "| `%s` | %,d | %d | %,.0f | %s |",
          target.substring(target.lastIndexOf('.') + 1),
          inputs,
          seconds,
          seconds > 0 ? (double) inputs / seconds : Double.NaN,
          exit == 0 ? "nothing found" : "**failed**: see target/bench/" + log.getFileName());
    }
  }

  // ---- 6. JMH

  private void jmh() throws Exception {
    report.section("6. Microbenchmarks (JMH, -prof gc)");
    Path table = dir.resolve("jmh.md");
    List<String> command =
        new ArrayList<>(
            List.of(
                ChildJvm.java(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.feathergate.bench.jmh.RunJmh",
                table.toString()));
    if (QUICK) {
      command.add("--quick");
    }
    Process jmh =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("jmh.log").toFile())
            .start();
    if (!jmh.waitFor(10, TimeUnit.MINUTES) || jmh.exitValue() != 0 || !Files.exists(table)) {
      jmh.destroyForcibly();
      report.line("JMH failed; see target/bench/jmh.log.");
      return;
    }
    report.line(Files.readString(table));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The Markdown report. */
  private static final class Report {
    private final StringBuilder text = new StringBuilder();

    void heading() throws IOException, InterruptedException {
      text.append("# FeatherGate benchmark\n\n");
      line(
          "%s · %d cores · Java %s · %s",
          LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          QUICK ? "quick run" : "full run");
      line("Load average at start: %s", Files.readString(Path.of("/proc/loadavg")).trim());
      if (!GATEWAY_FLAGS.isEmpty()) {
        line("The main gateway's JVM flags: `%s`", String.join(" ", GATEWAY_FLAGS));
      }
    }

    void section(String title) {
      System.out.println("== " + title);
      text.append("\n## ").append(title).append("\n\n");
    }

    void line(String format, Object... args) {
      String line = String.format(Locale.ROOT, format, args);
      System.out.println(line);
      text.append(line).append('\n');
    }

    String text() {
      return text.toString();
    }
  }
}
