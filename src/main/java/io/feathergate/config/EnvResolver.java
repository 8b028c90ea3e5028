package io.feathergate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces environment references in parsed YAML: a string that is exactly {@code os.environ/NAME}
 * (LiteLLM: "works for ANY value on the config.yaml"), and {@code ${NAME}} anywhere inside a
 * string. Names are looked up in the config's {@code environment_variables} first, then in the
 * injected process environment; the process environment itself is never changed.
 *
 * <p>A string whose variable is unset becomes null and is reported as an {@link UnsetVariable}: the
 * caller decides what that means where it occurs (an unusable deployment, a fail-closed master key,
 * or an absent setting).
 */
final class EnvResolver {
  private static final String PREFIX = "os.environ/";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> overlay;
  private final Map<String, String> environment;

  /**
   * @param overlay the config's {@code environment_variables}, already as text
   * @param environment the process environment
   */
  EnvResolver(Map<String, String> overlay, Map<String, String> environment) {
    this.overlay = overlay;
    this.environment = environment;
  }

  /** A variable that a reference named but neither the config nor the environment sets. */
  record UnsetVariable(String name, String path) {
    /** As users read it: {@code environment variable NAME is not set}. */
    String problem() {
      return "environment variable " + name + " is not set";
    }
  }

  /** A resolved value and the variables that could not be resolved inside it. */
  record Resolved(Object value, List<UnsetVariable> unset) {}

  /**
   * The top-level {@code environment_variables} as text. Scalars are written as Python's {@code
   * str()} writes them, as LiteLLM copies them into {@code os.environ}; a list or mapping cannot be
   * an environment value and is left out with a warning.
   */
  static Map<String, String> overlay(Object section, String path, Problems problems) {
    Map<String, String> overlay = new LinkedHashMap<>();
    Values.mapping(section, path)
        .forEach(
            (name, value) -> {
              if (value instanceof Boolean b) {
                overlay.put(name, b ? "True" : "False");
              } else if (value instanceof String || value instanceof Number) {
                overlay.put(name, String.valueOf(value));
              } else if (value != null) {
                problems.warn(
                    YamlPath.child(path, name),
                    "must be text, got " + Values.describe(value) + "; ignored");
              }
            });
    return overlay;
  }

  /** The value of a variable, or null when it is unset or empty (an empty key is no key). */
  String lookup(String name) {
    String value = overlay.containsKey(name) ? overlay.get(name) : environment.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** Resolves every string in a tree of maps and lists; the input is not modified. */
  Resolved resolve(Object value, String path) {
    List<UnsetVariable> unset = new ArrayList<>();
    Object resolved = resolve(value, path, unset);
    return new Resolved(resolved, List.copyOf(unset));
  }

  private Object resolve(Object value, String path, List<UnsetVariable> unset) {
    if (value instanceof String text) {
      return resolveText(text, path, unset);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach(
          (key, item) ->
              copy.put((String) key, resolve(item, YamlPath.child(path, (String) key), unset)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(resolve(list.get(i), YamlPath.index(path, i), unset));
      }
      return copy;
    }
    return value;
  }

  private String resolveText(String text, String path, List<UnsetVariable> unset) {
    if (text.startsWith(PREFIX)) {
      String name = text.substring(PREFIX.length()).strip();
      String value = lookup(name);
      if (value == null) {
        unset.add(new UnsetVariable(name, path));
      }
      return value;
    }
    if (text.indexOf("${") < 0) {
      return text;
    }
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder result = new StringBuilder();
    boolean complete = true;
    while (matcher.find()) {
      String value = lookup(matcher.group(1));
      if (value == null) {
        unset.add(new UnsetVariable(matcher.group(1), path));
        complete = false;
        value = "";
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(result);
    // half a URL or half a key would fail later in a confusing way: all or nothing
    return complete ? result.toString() : null;
  }
}
