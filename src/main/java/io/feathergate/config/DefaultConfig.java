package io.feathergate.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The built-in default config, a resource next to this class: a {@code demo} model that answers
 * from {@code mock_response}, and all of OpenAI when {@code OPENAI_API_KEY} is set.
 */
final class DefaultConfig {
  static final String SOURCE_NAME = "built-in default";
  private static final String RESOURCE = "default-config.yaml";

  private DefaultConfig() {}

  static String text() {
    try (InputStream in = DefaultConfig.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE + ": broken build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
  }
}
