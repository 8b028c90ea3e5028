package io.feathergate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A JVM started by the benchmark, with what Linux and {@code jcmd} say about it. */
final class ChildJvm implements AutoCloseable {
  private static final Pattern HEAP_USED =
      Pattern.compile("(?:garbage-first heap|heap)\\s+total\\s+\\d+K, used (\\d+)K");

  /** The Serial and Parallel collectors report each generation, not the heap. */
  private static final Pattern GENERATION_USED =
      Pattern.compile("(?:generation|PSYoungGen|ParOldGen)\\s+total\\s+\\d+K, used (\\d+)K");

  private final Process process;

  private ChildJvm(Process process) {
    this.process = process;
  }

  static ChildJvm start(List<String> command, Path log) throws IOException {
    return start(command, log, Map.of());
  }

  /** Starts {@code command} with {@code environment} added to this process's. */
  static ChildJvm start(List<String> command, Path log, Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    builder.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    return new ChildJvm(builder.start());
  }

  /** Starts a JVM that prints {@code port=<n>} on its first line; returns it with the port. */
  static ChildJvm startWithPort(List<String> command, Path log, int[] port) throws IOException {
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = lines.readLine();
    if (first == null || !first.startsWith("port=")) {
      process.destroyForcibly();
      throw new IOException("child did not report its port; see " + log);
    }
    port[0] = Integer.parseInt(first.substring(5));
    return new ChildJvm(process);
  }

  /**
   * {@code java <jvmFlags> -jar target/feathergate.war --config <config> --bind 127.0.0.1:<port>}.
   */
  static List<String> gateway(List<String> jvmFlags, Path config, int port) {
    List<String> command = new java.util.ArrayList<>();
    command.add(java());
    command.addAll(jvmFlags);
    command.addAll(
        List.of(
            "-jar",
            "target/feathergate.war",
            "--config",
            config.toString(),
            "--bind",
            "127.0.0.1:" + port));
    return command;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  int threads() {
    return (int) statusField("Threads:");
  }

  /** Resident set size in MB. */
  double rssMb() {
    return statusField("VmRSS:") / 1024.0;
  }

  /** Resident set size of the process and all its descendants (nginx's workers), in MB. */
  double treeRssMb() {
    double total = 0;
    for (long pid :
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(process.toHandle()), process.descendants())
            .mapToLong(ProcessHandle::pid)
            .toArray()) {
      total += statusField(pid, "VmRSS:") / 1024.0;
    }
    return total;
  }

  int openFiles() {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private long statusField(String name) {
    return statusField(pid(), name);
  }

  private static long statusField(long pid, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    return -1;
  }

  /** Heap in use now, garbage included, in MB. */
  double heapUsedMb() throws IOException, InterruptedException {
    return usedMb(jcmd("GC.heap_info"));
  }

  /** Heap in use right after a full collection, in MB. */
  double heapAfterGcMb() throws IOException, InterruptedException {
    jcmd("GC.run");
    return usedMb(jcmd("GC.heap_info"));
  }

  /** The heap in use that {@code GC.heap_info} reports, whichever collector runs. */
  private static double usedMb(String info) throws IOException {
    Matcher used = HEAP_USED.matcher(info);
    if (used.find()) {
      return Long.parseLong(used.group(1)) / 1024.0;
    }
    Matcher generations = GENERATION_USED.matcher(info);
    long kilobytes = 0;
    boolean found = false;
    while (generations.find()) {
      kilobytes += Long.parseLong(generations.group(1));
      found = true;
    }
    if (!found) {
      throw new IOException("unexpected GC.heap_info: " + info);
    }
    return kilobytes / 1024.0;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()),
                command)
            .redirectErrorStream(true)
            .start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(30, TimeUnit.SECONDS);
    return output;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
