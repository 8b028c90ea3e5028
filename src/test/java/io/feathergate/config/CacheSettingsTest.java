package io.feathergate.config;

import static io.feathergate.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.CacheSettings;
import io.feathergate.core.CacheSettings.CallType;
import io.feathergate.core.CacheSettings.Scope;
import io.feathergate.core.GatewayConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LiteLLM's {@code cache} and {@code cache_params}, as a LiteLLM config writes them. */
class CacheSettingsTest {

  private static CacheSettings cache(String yaml) {
    return load(yaml).settings().cache();
  }

  @Test
  void offUnlessTurnedOnAndNothingToSayWhenOff() {
    assertThat(cache("model_list: []").on()).isFalse();
    GatewayConfig off = load("litellm_settings: {cache: False, cache_params: {type: redis}}");
    assertThat(off.settings().cache().on()).isFalse();
    assertThat(off.warnings()).isEmpty();
  }

  @Test
  void aLocalCacheWithLiteLlmsDefaults() {
    CacheSettings cache = cache("litellm_settings: {cache: \"true\"}");
    assertThat(cache.on()).isTrue();
    assertThat(cache.shared()).isFalse();
    assertThat(cache.ttl()).hasSeconds(60);
    assertThat(cache.inMemoryTtl()).isEqualTo(cache.ttl());
    assertThat(cache.callTypes()).containsExactlyInAnyOrder(CallType.values());
    assertThat(cache.defaultOff()).isFalse();
    assertThat(cache.scope()).isEqualTo(Scope.TEAM);
    assertThat(cache.namespace()).isNull();
    assertThat(cache.maxMemoryBytes()).isEqualTo(CacheSettings.DEFAULT_MAX_MEMORY_BYTES);
  }

  @Test
  void everyParameterIsRead() {
    GatewayConfig config =
        load(
            """
            litellm_settings:
              cache: true
              cache_params:
                type: redis
                host: redis.internal
                ttl: 600
                default_in_memory_ttl: 5
                namespace: litellm.caching
                supported_call_types: ["acompletion", "aembedding", "atranscription"]
                mode: default_off
                scope: global
                max_memory_bytes: 1048576
            """);
    CacheSettings cache = config.settings().cache();
    assertThat(config.warnings()).isEmpty();
    assertThat(cache.shared()).isTrue();
    assertThat(cache.ttl()).hasSeconds(600);
    assertThat(cache.inMemoryTtl()).hasSeconds(5);
    assertThat(cache.namespace()).isEqualTo("litellm.caching");
    assertThat(cache.callTypes()).containsExactlyInAnyOrder(CallType.CHAT, CallType.EMBEDDING);
    assertThat(cache.defaultOff()).isTrue();
    assertThat(cache.scope()).isEqualTo(Scope.GLOBAL);
    assertThat(cache.maxMemoryBytes()).isEqualTo(1_048_576);
    // the Redis named there serves limits and cooldowns too, under the same namespace
    assertThat(config.settings().redis().describe()).isEqualTo("redis://redis.internal:6379");
  }

  @Test
  void aRedisCacheWithoutARedisIsKeptInMemoryAndSaysSo() {
    GatewayConfig config = load("litellm_settings: {cache: true, cache_params: {type: redis}}");
    assertThat(config.settings().cache().on()).isTrue();
    assertThat(config.settings().cache().shared()).isFalse();
    assertThat(config.warnings())
        .singleElement()
        .asString()
        .contains("cache_params.type: no Redis is configured");
    // with REDIS_HOST, LiteLLM's proxy default type is Redis
    GatewayConfig fromEnv = load("litellm_settings: {cache: true}", Map.of("REDIS_HOST", "r"));
    assertThat(fromEnv.settings().cache().shared()).isTrue();
  }

  @Test
  void badValuesAreReportedWithTheirPathAndLeftAtTheirDefault() {
    GatewayConfig config =
        load(
            """
            litellm_settings:
              cache: true
              cache_params:
                type: s3
                ttl: forever
                mode: sometimes
                scope: planet
                supported_call_types: ["completion", "dance"]
                max_size_in_memory: 200
                similarity_threshold: 0.8
            """);
    CacheSettings cache = config.settings().cache();
    assertThat(cache.shared()).isFalse();
    assertThat(cache.ttl()).hasSeconds(60);
    assertThat(cache.defaultOff()).isFalse();
    assertThat(cache.scope()).isEqualTo(Scope.TEAM);
    assertThat(cache.callTypes()).containsExactly(CallType.CHAT);
    assertThat(String.join("\n", config.errors()))
        .contains("litellm_settings.cache_params.ttl: must be a positive number of seconds")
        .contains("litellm_settings.cache_params.mode: must be default_on or default_off")
        .contains("litellm_settings.cache_params.scope: must be key, team or global");
    assertThat(String.join("\n", config.warnings()))
        .contains("cache_params.type: 's3' caches are not supported")
        .contains("cache_params.supported_call_types: unknown call type 'dance'")
        .contains("cache_params.max_size_in_memory: counts entries")
        .contains("cache_params.similarity_threshold: semantic caching is not supported");
  }

  @Test
  void cacheParamsThatAreNotAMappingAreAnError() {
    GatewayConfig config = load("litellm_settings: {cache: true, cache_params: [1]}");
    assertThat(config.settings().cache().on()).isTrue();
    assertThat(String.join("\n", config.errors())).contains("litellm_settings.cache_params");
  }
}
