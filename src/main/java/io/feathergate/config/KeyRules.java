package io.feathergate.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one section does with each of its keys: accepted (read by a parser, or accepted on purpose
 * without effect), known but not supported (a warning that says so), or unknown (a warning that
 * hints at a typo). Keeping this as data lets a later feature move a key from "not supported" to
 * "accepted" in one line.
 */
final class KeyRules {
  static final String UNKNOWN = "unknown key; ignored";
  static final String NOT_SUPPORTED = "not supported by FeatherGate yet; ignored";
  static final String NOT_HONOURED = "accepted but not honoured yet; ignored";

  private final Set<String> accepted = new HashSet<>();
  private final Map<String, String> warnings = new HashMap<>();

  /** Keys that a parser reads, or that are accepted on purpose without a warning. */
  KeyRules accept(String... keys) {
    accepted.addAll(List.of(keys));
    return this;
  }

  /** Keys LiteLLM knows and FeatherGate ignores, with the warning to give. */
  KeyRules warn(String message, String... keys) {
    for (String key : keys) {
      warnings.put(key, message);
    }
    return this;
  }

  /** Whether this section lists the key at all (accepted or warned about). */
  boolean isKnown(String key) {
    return accepted.contains(key) || warnings.containsKey(key);
  }

  /**
   * Warns once about each key of {@code section} that is not accepted. A known key set to nothing
   * ({@code cache: false}, {@code fallbacks: []}) asks for nothing, so it does not warn; an unknown
   * key always does, as it is likely a typo.
   */
  void check(Map<String, Object> section, String path, Problems problems) {
    section.forEach((key, value) -> check(key, value, path, problems));
  }

  /** {@link #check(Map, String, Problems)} for one key. */
  void check(String key, Object value, String path, Problems problems) {
    if (accepted.contains(key)) {
      return;
    }
    String message = warnings.get(key);
    if (message == null) {
      problems.warn(YamlPath.child(path, key), UNKNOWN);
    } else if (asksForSomething(value)) {
      problems.warn(YamlPath.child(path, key), message);
    }
  }

  static boolean asksForSomething(Object value) {
    if (value == null || Boolean.FALSE.equals(value)) {
      return false;
    }
    if (value instanceof Map<?, ?> map) {
      return !map.isEmpty();
    }
    if (value instanceof List<?> list) {
      return !list.isEmpty();
    }
    return !(value instanceof String s) || !s.isBlank();
  }
}
