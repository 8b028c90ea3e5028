package io.feathergate.config;

import static io.feathergate.config.Configs.load;
import static io.feathergate.config.Configs.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.GatewayConfig;
import io.feathergate.core.RedisSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One Redis for everything, from wherever a LiteLLM config or environment names it. */
class RedisSettingsTest {

  private static RedisSettings redis(String yaml, Map<String, String> env) {
    return load(yaml, env).settings().redis();
  }

  @Test
  void noRedisAnywhereMeansStateStaysInTheProcess() {
    assertThat(redis("model_list: []", Map.of())).isNull();
    assertThat(redis("litellm_settings: {cache: true, cache_params: {type: local}}", Map.of()))
        .isNull();
  }

  @Test
  void routerSettingsNameTheServerAsLiteLlmsRouterReadsThem() {
    RedisSettings redis =
        redis(
            """
            router_settings:
              redis_host: redis.internal
              redis_port: 6380
              redis_password: os.environ/REDIS_SECRET
              redis_db: 2
            """,
            Map.of("REDIS_SECRET", "s3cret"));
    assertThat(redis.host()).isEqualTo("redis.internal");
    assertThat(redis.port()).isEqualTo(6380);
    assertThat(redis.password().reveal()).isEqualTo("s3cret");
    assertThat(redis.database()).isEqualTo(2);
    assertThat(redis.ssl()).isFalse();
    assertThat(redis.timeout()).isEqualTo(RedisSettings.DEFAULT_TIMEOUT);
    assertThat(redis.describe())
        .isEqualTo("redis://redis.internal:6380/2")
        .doesNotContain("s3cret");
  }

  @Test
  void aUrlCarriesUserPasswordTlsAndDatabase() {
    RedisSettings redis =
        redis(
            "router_settings: {redis_url: \"rediss://app:p%40ss@cache.example:7000/3\"}", Map.of());
    assertThat(redis.host()).isEqualTo("cache.example");
    assertThat(redis.port()).isEqualTo(7000);
    assertThat(redis.username()).isEqualTo("app");
    assertThat(redis.password().reveal()).isEqualTo("p@ss");
    assertThat(redis.ssl()).isTrue();
    assertThat(redis.database()).isEqualTo(3);
    assertThat(
            redis("router_settings: {redis_url: \"redis://secret@h\"}", Map.of())
                .password()
                .reveal())
        .isEqualTo("secret");
  }

  @Test
  void theCachesParamsServeWhenTheRouterNamesNone() {
    RedisSettings redis =
        redis(
            """
            litellm_settings:
              cache: true
              cache_params: {type: redis, host: cache-host, port: 6390, password: pw, ssl: true,
                             namespace: prod, socket_timeout: 0.2}
            """,
            Map.of());
    assertThat(redis.host()).isEqualTo("cache-host");
    assertThat(redis.port()).isEqualTo(6390);
    assertThat(redis.ssl()).isTrue();
    assertThat(redis.namespace()).isEqualTo("prod");
    assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void sentinelsAreReadFromTheCachesParams() {
    RedisSettings redis =
        redis(
            """
            litellm_settings:
              cache_params:
                service_name: mymaster
                sentinel_nodes: [["s1", 26379], ["s2", 26380]]
            """,
            Map.of());
    assertThat(redis.sentinelMaster()).isEqualTo("mymaster");
    assertThat(redis.sentinels()).containsExactly("s1:26379", "s2:26380");
    assertThat(redis.describe()).isEqualTo("redis://sentinel master mymaster");
    GatewayConfig missing =
        load("litellm_settings: {cache_params: {service_name: mymaster}}", Map.of());
    assertThat(missing.settings().redis()).isNull();
    assertThat(messages(missing)).anyMatch(m -> m.contains("service_name needs sentinel_nodes"));
  }

  @Test
  void theEnvironmentIsReadLastAsLiteLlmReadsIt() {
    assertThat(redis("model_list: []", Map.of("REDIS_URL", "redis://envhost:6400")).host())
        .isEqualTo("envhost");
    RedisSettings fromParts =
        redis(
            "model_list: []",
            Map.of(
                "REDIS_HOST",
                "h",
                "REDIS_PORT",
                "6401",
                "REDIS_PASSWORD",
                "x",
                "REDIS_SSL",
                "true"));
    assertThat(fromParts.port()).isEqualTo(6401);
    assertThat(fromParts.ssl()).isTrue();
    assertThat(redis("router_settings: {redis_host: cfg}", Map.of("REDIS_HOST", "env")).host())
        .isEqualTo("cfg");
  }

  @Test
  void twoDifferentServersAreReportedAndTheRoutersIsUsed() {
    GatewayConfig config =
        load(
            """
            router_settings: {redis_host: a}
            litellm_settings: {cache_params: {host: b}}
            """,
            Map.of());
    assertThat(config.settings().redis().host()).isEqualTo("a");
    assertThat(messages(config)).anyMatch(m -> m.contains("one Redis serves limits"));
  }

  @Test
  void badValuesAreReportedNotGuessed() {
    GatewayConfig badUrl = load("router_settings: {redis_url: \"http://x\"}", Map.of());
    assertThat(badUrl.settings().redis()).isNull();
    assertThat(messages(badUrl)).anyMatch(m -> m.contains("must be redis://"));
    GatewayConfig badPort =
        load("router_settings: {redis_host: h, redis_port: 99999, redis_db: -1}", Map.of());
    assertThat(badPort.settings().redis().port()).isEqualTo(6379);
    assertThat(badPort.settings().redis().database()).isZero();
    assertThat(messages(badPort)).anyMatch(m -> m.contains("port number"));
    GatewayConfig badSsl =
        load(
            "litellm_settings: {cache_params: {host: h, ssl: maybe, socket_timeout: -1}}",
            Map.of());
    assertThat(badSsl.settings().redis().ssl()).isFalse();
    assertThat(badSsl.settings().redis().timeout()).isEqualTo(RedisSettings.DEFAULT_TIMEOUT);
  }
}
