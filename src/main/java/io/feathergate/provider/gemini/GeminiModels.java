package io.feathergate.provider.gemini;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What differs between Gemini model generations, judged by the model name ({@code
 * gemini-2.5-flash}, {@code models/gemini-3-pro-preview}). Names that do not follow the versioned
 * pattern (aliases such as {@code gemini-flash-latest}, tuned models) are treated as current
 * models.
 */
final class GeminiModels {
  private static final Pattern VERSIONED = Pattern.compile("^gemini-(\\d+)(?:\\.(\\d+))?");

  private GeminiModels() {}

  /**
   * Whether tool parameters and response schemas go out as JSON Schema ({@code
   * parametersJsonSchema}, {@code responseJsonSchema}). Gemini 1.x and 2.0 predate those fields:
   * they get the OpenAPI subset ({@code parameters}, {@code responseSchema}), as the recorded
   * gemini-2.0-flash traffic shows.
   */
  static boolean takesJsonSchema(String model) {
    Version version = version(model);
    return version == null || version.major() > 2 || (version.major() == 2 && version.minor() >= 5);
  }

  /**
   * Whether replayed function calls must carry a thought signature. Gemini 3 answers 400 when the
   * first function call of a model turn has none (a history written by another model, or by a
   * client that rebuilt the tool-call ids).
   */
  static boolean requiresThoughtSignatures(String model) {
    Version version = version(model);
    return version != null && version.major() >= 3;
  }

  /** Gemini 3 sets its thinking depth by level; 2.5 by a token budget. */
  static boolean usesThinkingLevel(String model) {
    return requiresThoughtSignatures(model);
  }

  private static Version version(String model) {
    String name = model.toLowerCase(Locale.ROOT);
    if (name.startsWith("models/")) {
      name = name.substring("models/".length());
    }
    Matcher matcher = VERSIONED.matcher(name);
    if (!matcher.find()) {
      return null;
    }
    int major = Integer.parseInt(matcher.group(1));
    int minor = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
    return new Version(major, minor);
  }

  private record Version(int major, int minor) {}
}
