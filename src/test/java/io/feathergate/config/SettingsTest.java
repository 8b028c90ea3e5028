package io.feathergate.config;

import static io.feathergate.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.GatewayConfig;
import io.feathergate.core.GatewaySettings;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code general_settings}, {@code litellm_settings} and {@code router_settings}. */
class SettingsTest {

  @Nested
  class MasterKey {

    @Test
    void aConfiguredMasterKeyProtectsTheGateway() {
      GatewaySettings settings = load("general_settings: {master_key: sk-1234}").settings();

      assertThat(settings.masterKey().matches("sk-1234")).isTrue();
      assertThat(settings.masterKeyProblem()).isNull();
      assertThat(settings.authRequired()).isTrue();
    }

    @Test
    void withoutMasterKeyInTheConfigLiteLlmMasterKeyFromTheEnvironmentIsUsed() {
      GatewaySettings settings =
          load("model_list: []", Map.of("LITELLM_MASTER_KEY", "sk-from-env")).settings();

      assertThat(settings.masterKey().matches("sk-from-env")).isTrue();
    }

    @Test
    void theConfiguredMasterKeyWinsOverLiteLlmMasterKey() {
      GatewaySettings settings =
          load("general_settings: {master_key: sk-file}", Map.of("LITELLM_MASTER_KEY", "sk-env"))
              .settings();

      assertThat(settings.masterKey().matches("sk-file")).isTrue();
    }

    @Test
    void liteLlmMasterKeyMayComeFromEnvironmentVariables() {
      GatewaySettings settings =
          load("environment_variables: {LITELLM_MASTER_KEY: sk-overlay}").settings();

      assertThat(settings.masterKey().matches("sk-overlay")).isTrue();
    }

    @Test
    void noMasterKeyAnywhereLeavesTheGatewayOpen() {
      GatewaySettings settings = load("model_list: []").settings();

      assertThat(settings.masterKey()).isNull();
      assertThat(settings.masterKeyProblem()).isNull();
      assertThat(settings.authRequired()).isFalse();
    }

    @Test
    void anUnsetMasterKeyVariableFailsClosedAndIsReported() {
      GatewayConfig config =
          load(
              "general_settings: {master_key: os.environ/PROXY_MASTER_KEY}",
              Map.of("LITELLM_MASTER_KEY", "sk-must-not-stand-in"));

      GatewaySettings settings = config.settings();
      assertThat(settings.masterKey()).isNull();
      assertThat(settings.masterKeyProblem())
          .isEqualTo("environment variable PROXY_MASTER_KEY is not set");
      assertThat(settings.authRequired()).isTrue();
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: general_settings.master_key: environment variable PROXY_MASTER_KEY is"
                  + " not set; every protected route refuses requests until fixed");
    }

    @Test
    void anEmptyMasterKeyFailsClosedRatherThanOpeningTheGateway() {
      GatewayConfig config = load("general_settings: {master_key: \"\"}");

      assertThat(config.settings().masterKey()).isNull();
      assertThat(config.settings().authRequired()).isTrue();
      assertThat(config.errors())
          .containsExactly(
              "config.yaml: general_settings.master_key: is empty; every protected route refuses"
                  + " requests until fixed");
    }

    @Test
    void customAuthThatCannotRunFailsClosedWithoutAMasterKey() {
      GatewayConfig open = load("general_settings: {custom_auth: custom_auth.user_api_key_auth}");
      GatewayConfig keyed =
          load("general_settings: {custom_auth: custom_auth.user_api_key_auth, master_key: sk-k}");

      assertThat(open.settings().authRequired()).isTrue();
      assertThat(open.settings().masterKeyProblem())
          .isEqualTo("general_settings.custom_auth cannot run in FeatherGate");
      assertThat(keyed.settings().masterKey().matches("sk-k")).isTrue();
      assertThat(keyed.errors()).isEmpty();
      assertThat(keyed.warnings())
          .containsExactly(
              "config.yaml: general_settings.custom_auth: custom auth modules are Python code and"
                  + " cannot run in FeatherGate; only the master key is checked");
    }
  }

  @Test
  void requestSizeHeaderAndStreamUsageAreRead() {
    GatewaySettings settings =
        load("""
        general_settings:
          litellm_key_header_name: X-LiteLLM-Key
          max_request_size_mb: 0.5
          always_include_stream_usage: "true"
        """)
            .settings();

    assertThat(settings.customKeyHeader()).isEqualTo("X-LiteLLM-Key");
    assertThat(settings.maxRequestBytes()).isEqualTo(512L * 1024);
    assertThat(settings.alwaysIncludeStreamUsage()).isTrue();
  }

  @Test
  void settingsDefaultsWhenAbsent() {
    GatewaySettings settings = load("").settings();

    assertThat(settings.customKeyHeader()).isNull();
    assertThat(settings.maxRequestBytes()).isEqualTo(GatewaySettings.DEFAULT_MAX_REQUEST_BYTES);
    assertThat(settings.alwaysIncludeStreamUsage()).isFalse();
  }

  @Test
  void invalidSettingValuesAreReportedAndTheDefaultsApply() {
    GatewayConfig config =
        load(
            """
            general_settings:
              max_request_size_mb: lots
              always_include_stream_usage: maybe
            litellm_settings:
              drop_params: sometimes
            """);

    assertThat(config.settings().maxRequestBytes())
        .isEqualTo(GatewaySettings.DEFAULT_MAX_REQUEST_BYTES);
    assertThat(config.settings().alwaysIncludeStreamUsage()).isFalse();
    assertThat(config.errors())
        .containsExactlyInAnyOrder(
            "config.yaml: general_settings.max_request_size_mb: must be a positive number of"
                + " megabytes, got text; using the default",
            "config.yaml: general_settings.always_include_stream_usage: must be true or false, got"
                + " text; using false",
            "config.yaml: litellm_settings.drop_params: must be true or false, got text; ignored");
  }

  @Test
  void prometheusCallbacksAreAcceptedAndOtherIntegrationsWarnByName() {
    GatewayConfig config =
        load(
            """
            litellm_settings:
              callbacks: ["prometheus", "otel"]
              success_callback: prometheus
              failure_callback: ["prometheus", "sentry"]
            """);

    assertThat(config.warnings())
        .containsExactly(
            "config.yaml: litellm_settings.callbacks: callback 'otel' is not supported; ignored",
            "config.yaml: litellm_settings.failure_callback: callback 'sentry' is not supported;"
                + " ignored");
  }

  @Test
  void everyLiteLlmRoutingStrategyIsReadAndCostBasedWarnsUntilPricesExist() {
    assertThat(load("router_settings: {routing_strategy: simple-shuffle}").warnings()).isEmpty();
    GatewayConfig latency = load("router_settings: {routing_strategy: latency-based-routing}");
    assertThat(latency.warnings()).isEmpty();
    assertThat(latency.router().strategy())
        .isEqualTo(io.feathergate.core.RouterSettings.RoutingStrategy.LATENCY_BASED);
    GatewayConfig cost = load("router_settings: {routing_strategy: cost-based-routing}");
    assertThat(cost.router().strategy())
        .isEqualTo(io.feathergate.core.RouterSettings.RoutingStrategy.SIMPLE_SHUFFLE);
    assertThat(cost.warnings())
        .containsExactly(
            "config.yaml: router_settings.routing_strategy: model prices are not known yet:"
                + " deployments are picked as by simple-shuffle");
  }

  @Test
  void aSectionThatIsNotAMappingIsReportedAndTheRestLoads() {
    GatewayConfig config =
        load(
            """
            general_settings: [master_key]
            router_settings: fast
            model_list: [{model_name: m, litellm_params: {model: gpt-4o}}]
            """);

    assertThat(config.deployments()).hasSize(1);
    assertThat(config.settings().authRequired()).isFalse();
    assertThat(config.errors())
        .containsExactly(
            "config.yaml: general_settings: expected a mapping, got a list; section ignored",
            "config.yaml: router_settings: expected a mapping, got text; section ignored");
  }

  @Test
  void backgroundHealthChecksAndTheirIntervalAreHonoured() {
    GatewayConfig config =
        load("general_settings: {background_health_checks: true, health_check_interval: 30}");

    assertThat(config.warnings()).isEmpty();
    assertThat(config.settings().backgroundHealthChecks()).isTrue();
    assertThat(config.settings().healthCheckInterval()).isEqualTo(java.time.Duration.ofSeconds(30));
  }

  @Test
  void healthChecksAreOffByDefaultEveryThreeHundredSeconds() {
    GatewaySettings settings = load("model_list: []").settings();

    assertThat(settings.backgroundHealthChecks()).isFalse();
    assertThat(settings.healthCheckInterval()).isEqualTo(java.time.Duration.ofMinutes(5));
  }

  @Test
  void anUnusableHealthCheckIntervalFallsBackToTheDefault() {
    GatewayConfig config = load("general_settings: {health_check_interval: soon}");

    assertThat(config.settings().healthCheckInterval())
        .isEqualTo(GatewaySettings.DEFAULT_HEALTH_CHECK_INTERVAL);
    assertThat(config.errors()).hasSize(1);
    assertThat(config.errors().get(0)).contains("general_settings.health_check_interval");
  }

  @Test
  void theRequestBodyTimeoutIsThirtySecondsUnlessSet() {
    assertThat(load("model_list: []").settings().requestBodyTimeout())
        .isEqualTo(java.time.Duration.ofSeconds(30));
    GatewayConfig config = load("general_settings: {request_body_timeout: 2.5}");
    assertThat(config.warnings()).isEmpty();
    assertThat(config.settings().requestBodyTimeout()).isEqualTo(java.time.Duration.ofMillis(2500));
  }

  @Test
  void anUnusableRequestBodyTimeoutFallsBackToTheDefault() {
    GatewayConfig config = load("general_settings: {request_body_timeout: -1}");

    assertThat(config.settings().requestBodyTimeout())
        .isEqualTo(GatewaySettings.DEFAULT_REQUEST_BODY_TIMEOUT);
    assertThat(config.errors()).hasSize(1);
    assertThat(config.errors().get(0)).contains("general_settings.request_body_timeout");
  }

  @Test
  void thePrometheusCallbackTurnsOnLiteLlmMetrics() {
    assertThat(load("litellm_settings: {callbacks: [prometheus]}").settings().prometheusMetrics())
        .isTrue();
    assertThat(
            load("litellm_settings: {success_callback: prometheus}").settings().prometheusMetrics())
        .isTrue();
    assertThat(load("litellm_settings: {callbacks: [otel]}").settings().prometheusMetrics())
        .isFalse();
    assertThat(load("model_list: []").settings().prometheusMetrics()).isFalse();
  }

  @Nested
  class KeyDatabase {

    @Test
    void theConfiguredUrlWinsOverLiteLlmsVariableAndStaysSecret() {
      GatewaySettings settings =
          load(
                  "general_settings: {database_url: \"postgresql://u:pw@db/fg\"}",
                  Map.of("DATABASE_URL", "postgresql://other/db"))
              .settings();
      assertThat(settings.database().url().reveal()).isEqualTo("postgresql://u:pw@db/fg");
      assertThat(settings.database().url().toString()).doesNotContain("pw");
      assertThat(
              load("model_list: []", Map.of("DATABASE_URL", "postgresql://other/db"))
                  .settings()
                  .database()
                  .url()
                  .reveal())
          .isEqualTo("postgresql://other/db");
    }

    @Test
    void anUnsetVariableMeansTheEmbeddedDatabaseAndTimesHaveDefaults() {
      GatewayConfig config = load("general_settings: {database_url: os.environ/NO_SUCH_DB}");
      assertThat(config.settings().database().url()).isNull();
      assertThat(config.settings().database().keyCacheTtl()).hasSeconds(60);
      assertThat(config.settings().database().spendWriteInterval()).hasSeconds(5);
    }

    @Test
    void cacheTtlAndWriteIntervalAreReadAndBadOnesFallBack() {
      GatewaySettings settings =
          load("general_settings: {user_api_key_cache_ttl: 5, proxy_batch_write_at: 0.5}")
              .settings();
      assertThat(settings.database().keyCacheTtl()).hasSeconds(5);
      assertThat(settings.database().spendWriteInterval()).hasMillis(500);
      GatewayConfig bad = load("general_settings: {user_api_key_cache_ttl: soon}");
      assertThat(bad.settings().database().keyCacheTtl()).hasSeconds(60);
      assertThat(bad.errors())
          .anySatisfy(e -> assertThat(e).contains("user_api_key_cache_ttl").contains("60 seconds"));
      GatewayConfig badUrl = load("general_settings: {database_url: [a, b]}");
      assertThat(badUrl.settings().database().url()).isNull();
      assertThat(badUrl.errors()).anySatisfy(e -> assertThat(e).contains("database_url"));
    }
  }
}
