package io.feathergate.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A gateway replica in its own JVM ({@link ReplicaMain}), stopped by closing its input. */
final class Replica implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private Replica(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static Replica start(Path config, String name) throws Exception {
    return start(config, name, List.of("-Xmx256m"));
  }

  /** A replica whose JVM has these memory flags ({@code -Xmx…} and the like). */
  static Replica start(Path config, String name, List<String> memoryFlags) throws Exception {
    Path log = Files.createTempFile("feathergate-replica-" + name + "-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(memoryFlags);
    command.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            ReplicaMain.class.getName(),
            config.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("port=")) {
        int port = Integer.parseInt(line.substring(5).strip());
        // the rest of its output goes to a file, read when a test fails
        Thread drain =
            new Thread(
                () -> {
                  try (var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                    writer.write(seen.toString());
                    String next;
                    while ((next = out.readLine()) != null) {
                      writer.write(next);
                      writer.newLine();
                    }
                  } catch (java.io.IOException ignored) {
                    // the replica ended
                  }
                },
                "replica-log-" + name);
        drain.setDaemon(true);
        drain.start();
        return new Replica(process, port, log);
      }
      seen.append(line).append('\n');
    }
    throw new IllegalStateException("replica " + name + " did not start:\n" + seen);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
