package io.feathergate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code wrk} (Debian's package) with a POST body and reads its summary. */
final class Wrk {
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern P99 = Pattern.compile("\\s99%\\s+([\\d.]+)(us|ms|s)");
  private static final Pattern P50 = Pattern.compile("\\s50%\\s+([\\d.]+)(us|ms|s)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

  /**
   * One run's summary; latencies in milliseconds.
   *
   * @param errors answers other than 2xx and 3xx, and socket errors
   * @param socketErrors connections that failed, and requests unanswered within 10 s
   */
  record Result(
      double requestsPerSecond,
      double p50Millis,
      double p99Millis,
      long requests,
      long errors,
      long socketErrors) {}

  private Wrk() {}

  /** Whether wrk is installed; tries {@code apt-get install wrk} once when it is not. */
  static boolean available() {
    if (runs("wrk", "--version")) {
      return true;
    }
    System.out.println("wrk not found; trying apt-get install -y wrk");
    runs("apt-get", "install", "-y", "-q", "wrk");
    return runs("wrk", "--version");
  }

  private static boolean runs(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(300, TimeUnit.SECONDS) && process.exitValue() <= 1;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Result run(String url, String body, int connections, int seconds, Path workDir)
      throws IOException, InterruptedException {
    return run(url, body, connections, seconds, workDir, "sk-bench");
  }

  /** The same, with {@code key} as every request's bearer credential. */
  static Result run(String url, String body, int connections, int seconds, Path workDir, String key)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile(workDir, "wrk-", ".lua");
    Files.writeString(
        script, "wrk.method = \"POST\"\n" + "wrk.body = '" + body + "'\n" + headers(key));
    return execute(script, url, connections, seconds);
  }

  /** The same, with {@code extraHeaders} sent besides the bearer credential. */
  static Result run(
      String url,
      String body,
      int connections,
      int seconds,
      Path workDir,
      java.util.Map<String, String> extraHeaders)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile(workDir, "wrk-", ".lua");
    StringBuilder lua =
        new StringBuilder("wrk.method = \"POST\"\nwrk.body = '")
            .append(body)
            .append("'\n")
            .append(headers("sk-bench"));
    extraHeaders.forEach(
        (name, value) ->
            lua.append("wrk.headers[\"")
                .append(name)
                .append("\"] = \"")
                .append(value)
                .append("\"\n"));
    Files.writeString(script, lua);
    return execute(script, url, connections, seconds);
  }

  /**
   * A run whose requests take turns through {@code bodies} (repeat a body to weigh it): a mix of
   * request kinds on every connection.
   */
  static Result runMixed(
      String url, List<String> bodies, int connections, int seconds, Path workDir)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile(workDir, "wrk-mixed-", ".lua");
    StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n").append(headers("sk-bench"));
    lua.append("bodies = {\n");
    for (String body : bodies) {
      lua.append("  '").append(body).append("',\n");
    }
    lua.append("}\ncounter = 0\n")
        .append("request = function()\n")
        .append("  counter = counter + 1\n")
        .append("  return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])\n")
        .append("end\n");
    Files.writeString(script, lua);
    return execute(script, url, connections, seconds);
  }

  private static String headers(String key) {
    return "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
        + "wrk.headers[\"Authorization\"] = \"Bearer "
        + key
        + "\"\n";
  }

  private static Result execute(Path script, String url, int connections, int seconds)
      throws IOException, InterruptedException {
    Process wrk =
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + seconds + "s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.toString(),
                url)
            .redirectErrorStream(true)
            .start();
    String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    wrk.waitFor(seconds + 60L, TimeUnit.SECONDS);
    Matcher rate = RATE.matcher(output);
    if (!rate.find()) {
      throw new IOException("unexpected wrk output:\n" + output);
    }
    long errors = 0;
    Matcher non2xx = NON_2XX.matcher(output);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    long socketErrors = 0;
    Matcher socket = SOCKET_ERRORS.matcher(output);
    if (socket.find()) {
      for (int group = 1; group <= 4; group++) {
        socketErrors += Long.parseLong(socket.group(group));
      }
    }
    errors += socketErrors;
    Matcher requests = REQUESTS.matcher(output);
    return new Result(
        Double.parseDouble(rate.group(1)),
        millis(P50.matcher(output)),
        millis(P99.matcher(output)),
        requests.find() ? Long.parseLong(requests.group(1)) : 0,
        errors,
        socketErrors);
  }

  private static double millis(Matcher latency) {
    if (!latency.find()) {
      return Double.NaN;
    }
    double value = Double.parseDouble(latency.group(1));
    return switch (latency.group(2).toLowerCase(Locale.ROOT)) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
  }
}
