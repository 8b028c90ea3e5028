package io.feathergate.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed reads of parsed YAML values. Strings are coerced where LiteLLM coerces them ("coerce after
 * resolving": {@code timeout: os.environ/T} gives text that must read as a number; {@code
 * drop_params: "true"} a boolean). Failures throw {@link InvalidValueException} with a message that
 * says what was expected and what kind of value was found, never the value itself.
 */
final class Values {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final double NANOS_PER_SECOND = 1e9;

  private Values() {}

  /** What kind of value this is, for messages that must not quote it. */
  static String describe(Object value) {
    if (value == null) {
      return "nothing";
    } else if (value instanceof Map<?, ?>) {
      return "a mapping";
    } else if (value instanceof List<?>) {
      return "a list";
    } else if (value instanceof Boolean) {
      return "true/false";
    } else if (value instanceof Number) {
      return "a number";
    } else if (value instanceof String) {
      return "text";
    }
    return "a " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  /** A mapping; null (an empty section such as {@code general_settings:}) reads as empty. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> mapping(Object value, String path) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?>) {
      // YamlReader turned every key into a string
      return (Map<String, Object>) value;
    }
    throw new InvalidValueException(path, "expected a mapping, got " + describe(value));
  }

  /** A list; null reads as empty. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object value, String path) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?>) {
      return (List<Object>) value;
    }
    throw new InvalidValueException(path, "expected a list, got " + describe(value));
  }

  /** Text that must be present and non-blank. */
  static String requiredText(Map<String, Object> map, String key, String path) {
    String keyPath = YamlPath.child(path, key);
    if (!map.containsKey(key)) {
      throw new InvalidValueException(keyPath, "missing required key");
    }
    String text = text(map.get(key), keyPath);
    if (text == null || text.isBlank()) {
      throw new InvalidValueException(keyPath, "required key has no value");
    }
    return text;
  }

  /** Text, or null when absent; other kinds of value are refused. */
  static String text(Object value, String path) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new InvalidValueException(path, "must be text, got " + describe(value));
  }

  /** Text, a number or a boolean as text (ids, header values); null when absent. */
  static String scalarText(Object value, String path) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    throw new InvalidValueException(path, "must be text, got " + describe(value));
  }

  /** A boolean, also from text such as {@code "true"} or {@code "False"} (PR #33738). */
  static boolean bool(Object value, String path) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      Boolean parsed =
          switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Boolean.TRUE;
            case "false", "no", "off", "0" -> Boolean.FALSE;
            default -> null;
          };
      if (parsed != null) {
        return parsed;
      }
    }
    throw new InvalidValueException(path, "must be true or false, got " + describe(value));
  }

  /** A positive number (int, float or numeric text). */
  static double positiveNumber(Object value, String path, String unit) {
    Double number = number(value);
    if (number == null || number.isNaN() || number.isInfinite() || number <= 0) {
      throw new InvalidValueException(
          path, "must be a positive number of " + unit + ", got " + describe(value));
    }
    return number;
  }

  /** A number, zero or more (int, float or numeric text). */
  static double nonNegativeNumber(Object value, String path) {
    Double number = number(value);
    if (number == null || number.isNaN() || number.isInfinite() || number < 0) {
      throw new InvalidValueException(
          path, "must be a number, zero or more, got " + describe(value));
    }
    return number;
  }

  /** A positive number of seconds as a duration. */
  static Duration seconds(Object value, String path) {
    return duration(positiveNumber(value, path, "seconds"));
  }

  /** A number of seconds, zero or more, as a duration ({@code retry_after: 0}). */
  static Duration nonNegativeSeconds(Object value, String path) {
    return duration(nonNegativeNumber(value, path));
  }

  private static Duration duration(double seconds) {
    // Math.round saturates, so an absurdly large value becomes the longest duration, not an error
    long nanos = Math.round(seconds * NANOS_PER_SECOND);
    return seconds > 0 ? Duration.ofNanos(Math.max(1, nanos)) : Duration.ZERO;
  }

  /** A whole number, zero or more (int, integral float, or digits as text). */
  static int nonNegativeInt(Object value, String path) {
    Long whole = wholeNumber(value);
    if (whole == null || whole < 0 || whole > Integer.MAX_VALUE) {
      throw new InvalidValueException(
          path, "must be a whole number, zero or more, got " + describe(value));
    }
    return whole.intValue();
  }

  private static Double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s && DECIMAL.matcher(s.strip()).matches()) {
      return Double.parseDouble(s.strip());
    }
    return null;
  }

  private static Long wholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < Long.SIZE ? big.longValue() : null;
    }
    if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return d.longValue();
    }
    if (value instanceof String s && INTEGER.matcher(s.strip()).matches()) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        return null; // more digits than a long holds
      }
    }
    return null;
  }
}
