package io.feathergate.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Recorded upstream traffic under {@code src/test/resources/fixtures}. */
final class Fixtures {
  private Fixtures() {}

  static byte[] read(String path) {
    return resource("/fixtures/" + path);
  }

  /** Any test resource, by its path from the resources root. */
  static byte[] resource(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
