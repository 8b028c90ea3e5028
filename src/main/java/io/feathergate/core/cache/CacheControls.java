package io.feathergate.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import java.time.Duration;

/**
 * A request's own say over the cache, LiteLLM's body field {@code cache} (the OpenAI SDKs send it
 * through {@code extra_body}).
 *
 * @param noCache {@code no-cache}: do not look the answer up (it is still stored)
 * @param noStore {@code no-store}: do not store the answer
 * @param ttl {@code ttl}: how long to keep this answer, or null for the configured lifetime
 * @param maxAge {@code s-maxage} (or {@code s-max-age}): take no entry older than this, or null
 * @param namespace {@code namespace}: the prefix of the entry's key, or null for the configured one
 * @param useCache {@code use-cache}: asks for the cache when it is {@code mode: default_off}
 */
public record CacheControls(
    boolean noCache,
    boolean noStore,
    Duration ttl,
    Duration maxAge,
    String namespace,
    boolean useCache) {

  static final String FIELD = "cache";

  /** A request that says nothing. */
  public static final CacheControls NONE = new CacheControls(false, false, null, null, null, false);

  /**
   * The controls of a body's {@code cache} field; unknown controls are ignored, as LiteLLM does.
   *
   * @throws GatewayException 400 when a control has the wrong type
   */
  public static CacheControls of(JsonNode cache) {
    if (cache == null || cache.isNull()) {
      return NONE;
    }
    if (!cache.isObject()) {
      throw invalid("", "an object such as {\"no-cache\": true}");
    }
    JsonNode maxAge = cache.has("s-maxage") ? cache.get("s-maxage") : cache.get("s-max-age");
    return new CacheControls(
        flag(cache, "no-cache"),
        flag(cache, "no-store"),
        seconds(cache.get("ttl"), "ttl"),
        seconds(maxAge, "s-maxage"),
        namespace(cache.get("namespace")),
        flag(cache, "use-cache"));
  }

  private static boolean flag(JsonNode cache, String name) {
    JsonNode value = cache.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalid("." + name, "true or false");
    }
    return value.booleanValue();
  }

  private static Duration seconds(JsonNode value, String name) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber() || value.doubleValue() < 0 || Double.isNaN(value.doubleValue())) {
      throw invalid("." + name, "a number of seconds, zero or more");
    }
    // a lifetime of more than a year is a year: Redis refuses what overflows its clock
    double seconds = Math.min(value.doubleValue(), 366d * 24 * 3600);
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  private static String namespace(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 200) {
      throw invalid(".namespace", "a name of at most 200 characters");
    }
    return value.asText();
  }

  private static GatewayException invalid(String control, String expected) {
    return GatewayException.badRequest(
        "Invalid value for 'cache" + control + "': expected " + expected + ".", FIELD);
  }
}
