package io.feathergate.config;

import io.feathergate.core.CacheSettings;
import io.feathergate.core.CacheSettings.CallType;
import io.feathergate.core.CacheSettings.Scope;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * LiteLLM's response cache: {@code litellm_settings.cache} turns it on, {@code cache_params} shapes
 * it. The Redis it names (if any) is read by {@link RedisSettingsParser}: one Redis serves the
 * cache, limits and cooldowns.
 */
final class CacheSettingsParser {
  private static final String SECTION = LitellmSettingsParser.SECTION;
  private static final String PARAMS = YamlPath.child(SECTION, "cache_params");

  private static final KeyRules KEYS =
      new KeyRules()
          .accept("type", "ttl", "default_in_memory_ttl", "default_in_redis_ttl", "namespace")
          .accept("supported_call_types", "mode", "max_memory_bytes", "scope")
          // the Redis, read by RedisSettingsParser
          .accept("host", "port", "password", "username", "ssl", "db", "url", "socket_timeout")
          .accept("service_name", "sentinel_nodes", "max_connections")
          .warn(
              "counts entries; this cache is bounded by bytes (max_memory_bytes); ignored",
              "max_size_in_memory")
          .warn("Redis Cluster is not supported yet; ignored", "redis_startup_nodes")
          .warn(
              "semantic caching is not supported; ignored",
              "similarity_threshold",
              "redis_semantic_cache_embedding_model",
              "redis_semantic_cache_use_async",
              "qdrant_semantic_cache_embedding_model",
              "qdrant_collection_name",
              "qdrant_quantization_config",
              "qdrant_api_base",
              "qdrant_api_key")
          .warn(
              KeyRules.NOT_SUPPORTED,
              "s3_bucket_name",
              "s3_region_name",
              "s3_path",
              "s3_endpoint_url",
              "s3_aws_access_key_id",
              "s3_aws_secret_access_key",
              "gcs_bucket_name",
              "gcs_path",
              "disk_cache_dir",
              "azure_account_url",
              "azure_blob_container");

  private static final Map<String, CallType> CALL_TYPES =
      Map.of(
          "completion", CallType.CHAT,
          "acompletion", CallType.CHAT,
          "text_completion", CallType.TEXT_COMPLETION,
          "atext_completion", CallType.TEXT_COMPLETION,
          "embedding", CallType.EMBEDDING,
          "aembedding", CallType.EMBEDDING);

  /** LiteLLM's call types this cache does not serve: named without a warning each time. */
  private static final Set<String> OTHER_CALL_TYPES =
      Set.of("transcription", "atranscription", "rerank", "arerank", "aresponses", "responses");

  private final Problems problems;

  CacheSettingsParser(Problems problems) {
    this.problems = problems;
  }

  /**
   * @param litellm the {@code litellm_settings} section
   * @param redisConfigured whether a Redis is configured for the gateway
   */
  CacheSettings parse(Map<String, Object> litellm, boolean redisConfigured) {
    Map<String, Object> params = params(litellm.get("cache_params"));
    KEYS.check(params, PARAMS, problems);
    if (!on(litellm.get("cache"))) {
      return CacheSettings.OFF;
    }
    boolean shared = shared(params.get("type"), redisConfigured);
    Duration ttl = seconds(params, shared ? "default_in_redis_ttl" : "ttl");
    if (ttl == null) {
      ttl = seconds(params, "ttl");
    }
    Duration inMemoryTtl = seconds(params, "default_in_memory_ttl");
    if (ttl == null) {
      ttl = !shared && inMemoryTtl != null ? inMemoryTtl : CacheSettings.DEFAULT_TTL;
    }
    return new CacheSettings(
        true,
        shared,
        ttl,
        shared ? inMemoryTtl : ttl,
        maxMemoryBytes(params.get("max_memory_bytes")),
        text(params, "namespace"),
        callTypes(params.get("supported_call_types")),
        defaultOff(params.get("mode")),
        scope(params.get("scope")));
  }

  private Map<String, Object> params(Object value) {
    if (value == null) {
      return Map.of();
    }
    try {
      return Values.mapping(value, PARAMS);
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; ignored");
      return Map.of();
    }
  }

  private boolean on(Object value) {
    if (value == null) {
      return false;
    }
    try {
      return Values.bool(value, YamlPath.child(SECTION, "cache"));
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; the cache is off");
      return false;
    }
  }

  /** LiteLLM's proxy defaults to a Redis cache; without a Redis, the cache stays in process. */
  private boolean shared(Object type, boolean redisConfigured) {
    String path = YamlPath.child(PARAMS, "type");
    if (type == null) {
      return redisConfigured;
    }
    String name = String.valueOf(type);
    if (name.equals("local")) {
      return false;
    }
    if (!name.equals("redis")) {
      problems.warn(path, "'" + name + "' caches are not supported; the cache is kept in memory");
      return false;
    }
    if (!redisConfigured) {
      problems.warn(
          path,
          "no Redis is configured (cache_params host or url, router_settings.redis_host,"
              + " REDIS_HOST or REDIS_URL); the cache is kept in memory");
      return false;
    }
    return true;
  }

  private Duration seconds(Map<String, Object> params, String key) {
    Object value = params.get(key);
    if (value == null) {
      return null;
    }
    try {
      return Values.seconds(value, YamlPath.child(PARAMS, key));
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default");
      return null;
    }
  }

  private String text(Map<String, Object> params, String key) {
    Object value = params.get(key);
    try {
      String text = value == null ? null : Values.text(value, YamlPath.child(PARAMS, key));
      return text == null || text.isBlank() ? null : text;
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; ignored");
      return null;
    }
  }

  private long maxMemoryBytes(Object value) {
    if (value == null) {
      return CacheSettings.DEFAULT_MAX_MEMORY_BYTES;
    }
    String path = YamlPath.child(PARAMS, "max_memory_bytes");
    try {
      return (long) Values.positiveNumber(value, path, "bytes");
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default");
      return CacheSettings.DEFAULT_MAX_MEMORY_BYTES;
    }
  }

  private Set<CallType> callTypes(Object value) {
    if (value == null) {
      return EnumSet.allOf(CallType.class);
    }
    String path = YamlPath.child(PARAMS, "supported_call_types");
    Set<CallType> types = EnumSet.noneOf(CallType.class);
    List<Object> names;
    try {
      names = Values.list(value, path);
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; every call type is cached");
      return EnumSet.allOf(CallType.class);
    }
    for (Object name : names) {
      CallType type = CALL_TYPES.get(String.valueOf(name));
      if (type != null) {
        types.add(type);
      } else if (!OTHER_CALL_TYPES.contains(String.valueOf(name))) {
        String label = name instanceof String text ? "'" + text + "'" : Values.describe(name);
        problems.warn(path, "unknown call type " + label + "; ignored");
      }
    }
    return types;
  }

  private boolean defaultOff(Object value) {
    if (value == null || "default_on".equals(value)) {
      return false;
    }
    if ("default_off".equals(value)) {
      return true;
    }
    problems.error(
        YamlPath.child(PARAMS, "mode"),
        "must be default_on or default_off, got " + Values.describe(value) + "; using default_on");
    return false;
  }

  private Scope scope(Object value) {
    if (value == null) {
      return Scope.TEAM;
    }
    try {
      return Scope.valueOf(String.valueOf(value).strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.error(
          YamlPath.child(PARAMS, "scope"),
          "must be key, team or global, got " + Values.describe(value) + "; using team");
      return Scope.TEAM;
    }
  }
}
