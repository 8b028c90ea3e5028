package io.feathergate.bench.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every JMH benchmark of this package with the GC profiler (1 fork, 3 × 1 s warm-up, 5 × 1 s
 * measurement, average time in ns/op; about 2 minutes in all) and prints a Markdown table of
 * benchmark, ns/op ± error (99.9 %) and B/op ({@code gc.alloc.rate.norm}).
 *
 * <p>From the project directory:
 *
 * <pre>
 * mvn -o -q -DskipTests package &amp;&amp; mvn -o -q dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) io.feathergate.bench.jmh.RunJmh target/jmh.md
 * </pre>
 *
 * <p>Arguments: an optional path the table is also written to, and {@code --quick} for a smoke run
 * (1 × 200 ms warm-up, 2 × 200 ms measurement) whose figures are not worth keeping.
 */
public final class RunJmh {
  private static final String ALLOC = "gc.alloc.rate.norm";

  private RunJmh() {}

  public static void main(String[] args) throws RunnerException, IOException {
    boolean quick = false;
    Path output = null;
    for (String arg : args) {
      if (arg.equals("--quick")) {
        quick = true;
      } else if (output == null) {
        output = Path.of(arg);
      } else {
        throw new IllegalArgumentException("usage: RunJmh [output.md] [--quick]");
      }
    }
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            // this package's benchmarks, and those that need package access elsewhere
            .include("^io\\.feathergate\\..*Bench\\.")
            .forks(1)
            .mode(Mode.AverageTime)
            .timeUnit(TimeUnit.NANOSECONDS)
            .addProfiler(GCProfiler.class);
    if (quick) {
      options
          .warmupIterations(1)
          .warmupTime(TimeValue.milliseconds(200))
          .measurementIterations(2)
          .measurementTime(TimeValue.milliseconds(200));
    } else {
      options
          .warmupIterations(3)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(5)
          .measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    String table = table(results, quick);
    System.out.println();
    System.out.print(table);
    if (output != null) {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(output, table, StandardCharsets.UTF_8);
      System.out.println("written to " + output);
    }
  }

  static String table(Collection<RunResult> results, boolean quick) {
    List<RunResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparing(r -> r.getParams().getBenchmark()));
    StringBuilder md = new StringBuilder();
    md.append("| Benchmark | ns/op | B/op |\n");
    md.append("|---|---:|---:|\n");
    for (RunResult run : sorted) {
      Result<?> time = run.getPrimaryResult();
      md.append("| ")
          .append(name(run))
          .append(" | ")
          .append(score(time.getScore(), time.getScoreError()))
          .append(" | ")
          .append(allocated(run.getSecondaryResults()))
          .append(" |\n");
    }
    if (quick) {
      md.append("\n_quick mode (1 × 200 ms warm-up, 2 × 200 ms measurement): a smoke run_\n");
    }
    return md.toString();
  }

  /** JMH gives no error for fewer than three measurement iterations (quick mode). */
  private static String score(double score, double error) {
    String error99 = Double.isNaN(error) ? "n/a" : String.format(Locale.ROOT, "%,.0f", error);
    return String.format(Locale.ROOT, "%,.0f ± %s", score, error99);
  }

  /** The benchmark's class and method, without the package. */
  private static String name(RunResult run) {
    String benchmark = run.getParams().getBenchmark();
    String[] parts = benchmark.split("\\.");
    return parts[parts.length - 2] + "." + parts[parts.length - 1];
  }

  /** The GC profiler names its result with a prefix that changed between JMH versions. */
  private static String allocated(Map<String, Result> secondary) {
    for (Map.Entry<String, Result> entry : secondary.entrySet()) {
      if (entry.getKey().endsWith(ALLOC)) {
        return String.format(Locale.ROOT, "%,.0f", entry.getValue().getScore());
      }
    }
    return "n/a";
  }
}
