package io.feathergate.core.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every provider the gateway serves, one row each. An OpenAI-compatible provider is one more row
 * with protocol {@code openai}; a new protocol is one adapter (named in the composition root) and
 * its rows.
 */
public final class ProviderTable {
  private ProviderTable() {}

  public static final List<ProviderSpec> ROWS =
      List.of(
          new ProviderSpec(
              "openai",
              "openai",
              URI.create("https://api.openai.com/v1"),
              List.of("OPENAI_API_KEY"),
              List.of("OPENAI_BASE_URL", "OPENAI_API_BASE"),
              "OPENAI_ORGANIZATION",
              Set.of(),
              Map.of()),
          new ProviderSpec(
              "anthropic",
              "anthropic",
              URI.create("https://api.anthropic.com"),
              List.of("ANTHROPIC_API_KEY"),
              List.of("ANTHROPIC_BASE_URL", "ANTHROPIC_API_BASE"),
              null,
              Set.of(),
              Map.of()),
          new ProviderSpec(
              "gemini",
              "gemini",
              URI.create("https://generativelanguage.googleapis.com"),
              List.of("GEMINI_API_KEY"),
              List.of("GEMINI_API_BASE"),
              null,
              Set.of(),
              Map.of()));

  /** The row named {@code name}. */
  public static ProviderSpec get(String name) {
    for (ProviderSpec row : ROWS) {
      if (row.name().equals(name)) {
        return row;
      }
    }
    throw new IllegalArgumentException("no provider named " + name);
  }
}
