package io.feathergate.provider;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One golden case of a provider, a directory under {@code src/test/resources/golden/<provider>/}:
 * its files, and the comparison of what the code produced with the reviewed ones. Whatever differs
 * (or has no reviewed file yet) is written to {@code target/golden-actual/<provider>/<case>/}, so a
 * reviewer can compare or adopt it. A provider's golden test lists its cases with {@link #cases}
 * and reports with {@link #assertAllSame}.
 */
public final class GoldenFiles {
  private static final Path ROOT = Path.of("src", "test", "resources", "golden");
  private static final Path ACTUAL = Path.of("target", "golden-actual");

  private final String provider;
  private final String name;
  private final List<String> problems = new ArrayList<>();

  private GoldenFiles(String provider, String name) {
    this.provider = provider;
    this.name = name;
  }

  /** The names of a provider's cases, sorted. */
  public static Stream<String> cases(String provider) throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT.resolve(provider))) {
      return dirs
          .filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  public static GoldenFiles of(String provider, String name) {
    return new GoldenFiles(provider, name);
  }

  public Path dir() {
    return ROOT.resolve(provider).resolve(name);
  }

  public boolean has(String file) {
    return Files.exists(dir().resolve(file));
  }

  public byte[] bytes(String file) {
    try {
      return Files.readAllBytes(dir().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonNode json(String file) {
    try {
      return Json.MAPPER.readTree(bytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compares as JSON with the reviewed file; a missing file counts as a difference. */
  public void compare(String file, JsonNode actual) {
    if (!has(file) || !json(file).equals(actual)) {
      try {
        differs(
            file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Records that the reviewed file differs from (or lacks) {@code actual}, and writes it out. */
  public void differs(String file, String actual) {
    problems.add((has(file) ? "differs from " : "missing ") + file);
    try {
      Path out = ACTUAL.resolve(provider).resolve(name).resolve(file);
      Files.createDirectories(out.getParent());
      Files.writeString(out, actual);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records a problem that no file shows. */
  public void problem(String problem) {
    problems.add(problem);
  }

  /** Fails with every difference found, naming where the produced files are. */
  public void assertAllSame() {
    if (!problems.isEmpty()) {
      fail(
          "%s/%s:%n  %s%n(what the code produced is in %s)",
          provider, name, String.join("\n  ", problems), ACTUAL.resolve(provider).resolve(name));
    }
  }
}
