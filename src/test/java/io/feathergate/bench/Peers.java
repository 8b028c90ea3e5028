package io.feathergate.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Other gateways, and nginx as a plain reverse proxy, run beside FeatherGate against the same fake
 * upstream, each through the same steps: start to first answer, idle memory, warm-up, one request
 * at a time, time to first token, throughput, memory after load. Peers come from {@code
 * src/test/peers/install-peers.sh} (nginx, Portkey, LiteLLM) and from the binary named by {@code
 * bench.peers.rust} (the Rust original, built from its repository); one that is not installed is
 * left out and named as such.
 */
final class Peers {
  /**
   * How to start one target and call it.
   *
   * @param name as the report names it
   * @param port where it listens
   * @param command the process to start
   * @param environment added to the process's environment
   * @param fastModel the model field that asks the upstream for 20 chunks at once
   * @param pacedModel the model field that asks for {@link Benchmark}'s paced stream
   * @param headers sent with every request besides the bearer key
   */
  record Target(
      String name,
      int port,
      List<String> command,
      Map<String, String> environment,
      String fastModel,
      String pacedModel,
      Map<String, String> headers) {}

  /** One target's figures; NaN where a step failed. */
  record Row(
      String name,
      double requestsPerSecond,
      double addedP50Millis,
      double addedP99Millis,
      double addedFirstTokenMillis,
      double streamsPerSecond,
      double idleRssMb,
      double loadedRssMb,
      double startSeconds,
      long errors) {}

  /**
   * Preloaded into Node: Portkey's server listens on every address and has no option to say
   * otherwise; this makes any listen without an address take the loopback one.
   */
  private static final String LISTEN_ON_LOOPBACK =
      """
      const net = require('net');
      const listen = net.Server.prototype.listen;
      net.Server.prototype.listen = function (...args) {
        if (typeof args[0] === 'number') {
          if (args.length > 1 && (args[1] === undefined || typeof args[1] === 'string')) {
            args[1] = '127.0.0.1';
          } else {
            args.splice(1, 0, '127.0.0.1');
          }
        } else if (args[0] !== null && typeof args[0] === 'object' && args[0].port !== undefined) {
          args[0] = { ...args[0], host: '127.0.0.1' };
        }
        return listen.apply(this, args);
      };
      """;

  /** The upstream's paced stream: 10 chunks, 10 ms apart. */
  static final String PACED_UPSTREAM_MODEL = "paced-s10x10";

  private Peers() {}

  /**
   * FeatherGate (as shipped: its Dockerfile's JVM flags) and every peer installed.
   *
   * @param missing receives the name of each peer that is not installed, with why
   */
  static List<Target> targets(
      Path peersDir,
      Path work,
      Path featherGateConfig,
      List<String> featherGateFlags,
      int upstreamPort,
      List<String> missing)
      throws IOException {
    String upstream = "http://127.0.0.1:" + upstreamPort;
    List<Target> targets = new ArrayList<>();
    int port = Benchmark.freePort();
    targets.add(
        new Target(
            "FeatherGate",
            port,
            ChildJvm.gateway(featherGateFlags, featherGateConfig, port),
            Map.of(),
            "fast",
            "paced",
            Map.of()));

    String rust = System.getProperty("bench.peers.rust", "");
    if (!rust.isEmpty() && Files.isExecutable(Path.of(rust))) {
      Path config = work.resolve("peer-rust.yaml");
      Files.writeString(config, modelList(upstream + "/v1", PACED_UPSTREAM_MODEL));
      port = Benchmark.freePort();
      targets.add(
          new Target(
              "the Rust original",
              port,
              List.of(rust, "--config", config.toString(), "--bind", "127.0.0.1:" + port),
              Map.of("RUST_LOG", "warn"),
              "fast",
              "paced",
              Map.of()));
    } else {
      missing.add("the Rust original (no binary at -Dbench.peers.rust)");
    }

    Path nginx = Path.of("/usr/sbin/nginx");
    if (Files.isExecutable(nginx)) {
      Path config = work.resolve("peer-nginx.conf");
      port = Benchmark.freePort();
      Files.writeString(config, nginxConfig(upstreamPort, port, work));
      targets.add(
          new Target(
              "nginx (plain reverse proxy)",
              port,
              List.of(nginx.toString(), "-c", config.toString(), "-p", work.toString()),
              Map.of(),
              "fast-s20x0",
              PACED_UPSTREAM_MODEL,
              Map.of()));
    } else {
      missing.add("nginx (not installed: apt-get install nginx-light)");
    }

    Path portkey =
        peersDir.resolve("portkey/node_modules/@portkey-ai/gateway/build/start-server.js");
    if (Files.isRegularFile(portkey)) {
      Path loopback = work.resolve("listen-on-loopback.cjs");
      Files.writeString(loopback, LISTEN_ON_LOOPBACK);
      port = Benchmark.freePort();
      targets.add(
          new Target(
              "Portkey (Node)",
              port,
              List.of(
                  "node",
                  "--require",
                  loopback.toString(),
                  portkey.toString(),
                  "--port=" + port,
                  "--headless"),
              Map.of(),
              "fast-s20x0",
              PACED_UPSTREAM_MODEL,
              Map.of("x-portkey-provider", "openai", "x-portkey-custom-host", upstream + "/v1")));
    } else {
      missing.add("Portkey (not installed: src/test/peers/install-peers.sh)");
    }

    Path litellm = peersDir.resolve("litellm/bin/litellm");
    if (Files.isExecutable(litellm)) {
      Path config = work.resolve("peer-litellm.yaml");
      Files.writeString(config, modelList(upstream + "/v1", PACED_UPSTREAM_MODEL));
      port = Benchmark.freePort();
      targets.add(
          new Target(
              "LiteLLM (Python, 1 worker)",
              port,
              List.of(
                  litellm.toString(),
                  "--config",
                  config.toString(),
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--num_workers",
                  "1"),
              // its proxy refuses to start without a master key; the load sends this one
              Map.of(
                  "LITELLM_LOG",
                  "ERROR",
                  "LITELLM_TELEMETRY",
                  "False",
                  "LITELLM_MASTER_KEY",
                  "sk-bench"),
              "fast",
              "paced",
              Map.of()));
    } else {
      missing.add("LiteLLM (not installed: src/test/peers/install-peers.sh)");
    }

    return targets;
  }

  /** The two models every LiteLLM-config reader here is given. */
  private static String modelList(String apiBase, String pacedUpstreamModel) {
    return """
        model_list:
          - model_name: fast
            litellm_params: {model: openai/fast-s20x0, api_base: %1$s, api_key: sk-bench}
          - model_name: paced
            litellm_params: {model: openai/%2$s, api_base: %1$s, api_key: sk-bench}
        """
        .formatted(apiBase, pacedUpstreamModel);
  }

  /** Two workers (one per core), keep-alive both ways, nothing buffered or logged. */
  private static String nginxConfig(int upstreamPort, int port, Path work) {
    return """
        daemon off;
        worker_processes 2;
        pid %2$s/nginx.pid;
        error_log stderr error;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %2$s/nginx-body;
          proxy_temp_path %2$s/nginx-proxy;
          upstream fake { server 127.0.0.1:%1$d; keepalive 256; keepalive_requests 10000000; }
          server {
            listen 127.0.0.1:%3$d;
            # nginx closes a client's connection after 1,000 requests by default
            keepalive_requests 10000000;
            location / {
              proxy_pass http://fake;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_buffering off;
            }
          }
        }
        """
        .formatted(upstreamPort, work, port);
  }

  /**
   * Starts {@code target}, times its start, and takes its figures against the direct upstream's.
   *
   * @param warmUpSeconds of load before anything is timed, half whole answers, half streams
   * @param oneAtATime requests timed one at a time (as many again direct, in alternating blocks)
   * @param wrkSeconds of each wrk run
   */
  static Row measure(
      Target target, int upstreamPort, Path work, int warmUpSeconds, int oneAtATime, int wrkSeconds)
      throws Exception {
    String chat = "/v1/chat/completions";
    String url = "http://127.0.0.1:" + target.port() + chat;
    byte[] whole =
        RawClient.post(
            chat, RawClient.chatBody(target.fastModel(), false), "sk-bench", target.headers());
    long began = System.nanoTime();
    Path log = work.resolve("peer-" + target.port() + ".log");
    try (ChildJvm process = ChildJvm.start(target.command(), log, target.environment())) {
      double start = awaitFirstAnswer(process, target.port(), whole, began);
      Thread.sleep(2_000);
      double idle = process.treeRssMb();
      for (boolean stream : new boolean[] {false, true}) {
        Wrk.run(
            url,
            RawClient.chatBody(target.fastModel(), stream),
            32,
            warmUpSeconds / 2,
            work,
            target.headers());
      }
      Stats[] added = oneAtATime(upstreamPort, target, whole, oneAtATime);
      double firstToken = firstToken(upstreamPort, target);
      Wrk.Result answers =
          Wrk.run(
              url,
              RawClient.chatBody(target.fastModel(), false),
              32,
              wrkSeconds,
              work,
              target.headers());
      Wrk.Result streams =
          Wrk.run(
              url,
              RawClient.chatBody(target.fastModel(), true),
              32,
              wrkSeconds,
              work,
              target.headers());
      double loaded = process.treeRssMb();
      return new Row(
          target.name(),
          answers.requestsPerSecond(),
          (added[1].percentile(50) - added[0].percentile(50)) / 1e6,
          (added[1].percentile(99) - added[0].percentile(99)) / 1e6,
          firstToken,
          streams.requestsPerSecond(),
          idle,
          loaded,
          start,
          answers.errors() + streams.errors());
    }
  }

  /** Direct and through the target, one request at a time in alternating blocks of 100. */
  private static Stats[] oneAtATime(int upstreamPort, Target target, byte[] request, int count)
      throws IOException {
    byte[] direct = RawClient.post("/v1/chat/completions", RawClient.chatBody("fast-s20x0", false));
    long[] directNanos = new long[0];
    long[] targetNanos = new long[0];
    try (RawClient toUpstream = new RawClient(upstreamPort);
        RawClient toTarget = new RawClient(target.port())) {
      toUpstream.times(direct, Math.min(500, count));
      toTarget.times(request, Math.min(500, count));
      for (int done = 0; done < count; done += 100) {
        directNanos = Stats.concat(directNanos, toUpstream.times(direct, 100));
        targetNanos = Stats.concat(targetNanos, toTarget.times(request, 100));
      }
    }
    return new Stats[] {new Stats(directNanos), new Stats(targetNanos)};
  }

  /** Added time to the first chunk of a paced stream, p50 of 40 each way; NaN if unreadable. */
  private static double firstToken(int upstreamPort, Target target) {
    String chat = "/v1/chat/completions";
    byte[] direct = RawClient.post(chat, RawClient.chatBody(PACED_UPSTREAM_MODEL, true));
    byte[] through =
        RawClient.post(
            chat, RawClient.chatBody(target.pacedModel(), true), "sk-bench", target.headers());
    long[] directNanos = new long[0];
    long[] targetNanos = new long[0];
    try (RawClient toUpstream = new RawClient(upstreamPort);
        RawClient toTarget = new RawClient(target.port())) {
      for (int block = 0; block < 4; block++) {
        for (int i = 0; i < 10; i++) {
          directNanos = Stats.concat(directNanos, new long[] {toUpstream.firstChunk(direct)});
          targetNanos = Stats.concat(targetNanos, new long[] {toTarget.firstChunk(through)});
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return (new Stats(targetNanos).percentile(50) - new Stats(directNanos).percentile(50)) / 1e6;
  }

  /**
   * Sends {@code request} on a fresh connection every 5 ms until one is answered 200.
   *
   * @return seconds from {@code beganNanos} to that answer
   */
  static double awaitFirstAnswer(ChildJvm process, int port, byte[] request, long beganNanos)
      throws Exception {
    long deadline = beganNanos + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IllegalStateException("exited before it answered");
      }
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request);
        byte[] status = socket.getInputStream().readNBytes(12);
        if (new String(status, StandardCharsets.US_ASCII).endsWith(" 200")) {
          return (System.nanoTime() - beganNanos) / 1e9;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no answer within 120 s");
  }
}
