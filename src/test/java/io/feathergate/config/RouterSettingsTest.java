package io.feathergate.config;

import static io.feathergate.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.RouterSettings.Alias;
import io.feathergate.core.RouterSettings.ErrorClass;
import io.feathergate.core.RouterSettings.RoutingStrategy;
import io.feathergate.core.RoutingHints;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router's keys of router_settings and litellm_settings, and each deployment's hints. */
class RouterSettingsTest {
  private static final String MODELS =
      """
      model_list:
        - model_name: gpt-4o
          litellm_params: {model: openai/gpt-4o}
        - model_name: gpt-4o-mini
          litellm_params: {model: openai/gpt-4o-mini}
        - model_name: claude
          litellm_params: {model: openai/claude}
        - model_name: "openai/*"
          litellm_params: {model: "openai/*"}
      """;

  @Test
  void aConfigWithoutRouterKeysRoutesByTheDefaults() {
    GatewayConfig config = load(MODELS);
    assertThat(config.router()).isEqualTo(RouterSettings.defaults());
    assertThat(config.deployments()).allMatch(d -> d.routing().equals(RoutingHints.NONE));
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void everyRouterKeyIsRead() {
    GatewayConfig config =
        load(
            MODELS
                + """
                router_settings:
                  routing_strategy: usage-based-routing-v2
                  routing_strategy_args: {ttl: 30, lowest_latency_buffer: 0.25}
                  num_retries: 3
                  retry_after: 0.5
                  retry_policy: {BadRequestErrorRetries: 1, RateLimitErrorRetries: 4}
                  model_group_retry_policy: {gpt-4o: {TimeoutErrorRetries: 0}}
                  fallbacks: [{gpt-4o: [gpt-4o-mini, claude]}]
                  context_window_fallbacks: [{gpt-4o-mini: gpt-4o}]
                  content_policy_fallbacks: {gpt-4o: [claude]}
                  default_fallbacks: claude
                  max_fallbacks: 2
                  allowed_fails: 4
                  allowed_fails_policy: {InternalServerErrorAllowedFails: 10}
                  cooldown_time: 12
                  disable_cooldowns: "false"
                  model_group_alias: {gpt-4: gpt-4o, secret: {model: claude, hidden: true}}
                  enable_pre_call_checks: true
                  default_max_parallel_requests: 50
                """);
    assertThat(config.warnings()).isEmpty();
    assertThat(config.errors()).isEmpty();
    RouterSettings router = config.router();
    assertThat(router.strategy()).isEqualTo(RoutingStrategy.USAGE_BASED);
    assertThat(router.latencyTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(router.lowestLatencyBuffer()).isEqualTo(0.25);
    assertThat(router.numRetries()).isEqualTo(3);
    assertThat(router.retryAfter()).isEqualTo(Duration.ofMillis(500));
    assertThat(router.retryPolicy().retries())
        .isEqualTo(Map.of(ErrorClass.BAD_REQUEST, 1, ErrorClass.RATE_LIMIT, 4));
    assertThat(router.groupRetryPolicies().get("gpt-4o").retries())
        .isEqualTo(Map.of(ErrorClass.TIMEOUT, 0));
    assertThat(router.fallbacks()).isEqualTo(Map.of("gpt-4o", List.of("gpt-4o-mini", "claude")));
    assertThat(router.contextWindowFallbacks()).isEqualTo(Map.of("gpt-4o-mini", List.of("gpt-4o")));
    assertThat(router.contentPolicyFallbacks()).isEqualTo(Map.of("gpt-4o", List.of("claude")));
    assertThat(router.defaultFallbacks()).containsExactly("claude");
    assertThat(router.maxFallbacks()).isEqualTo(2);
    assertThat(router.allowedFails()).isEqualTo(4);
    assertThat(router.allowedFailsPolicy()).isEqualTo(Map.of(ErrorClass.INTERNAL_SERVER, 10));
    assertThat(router.cooldownTime()).isEqualTo(Duration.ofSeconds(12));
    assertThat(router.disableCooldowns()).isFalse();
    assertThat(router.aliases())
        .isEqualTo(
            Map.of("gpt-4", new Alias("gpt-4o", false), "secret", new Alias("claude", true)));
    assertThat(router.enablePreCallChecks()).isTrue();
    assertThat(router.defaultMaxParallelRequests()).isEqualTo(50);
  }

  @Test
  void litellmSettingsHoldTheLegacyKeysAndRouterSettingsWin() {
    GatewayConfig config =
        load(
            MODELS
                + """
                litellm_settings:
                  num_retries: 5
                  allowed_fails: 1
                  fallbacks: [{gpt-4o: [claude]}]
                router_settings:
                  num_retries: 1
                """);
    assertThat(config.warnings()).isEmpty();
    assertThat(config.router().numRetries()).isEqualTo(1);
    assertThat(config.router().allowedFails()).isEqualTo(1);
    assertThat(config.router().fallbacks()).isEqualTo(Map.of("gpt-4o", List.of("claude")));
  }

  @Test
  void badValuesAreReportedWithTheirPathAndLeftAtTheirDefaults() {
    GatewayConfig config =
        load(
            MODELS
                + """
                router_settings:
                  num_retries: -1
                  cooldown_time: soon
                  fallbacks: gpt-4o
                  retry_policy: {TeapotErrorRetries: 2}
                  routing_strategy: fastest-first
                """);
    assertThat(config.router().numRetries()).isNull();
    assertThat(config.router().cooldownTime()).isEqualTo(RouterSettings.DEFAULT_COOLDOWN_TIME);
    assertThat(config.router().fallbacks()).isEmpty();
    assertThat(config.router().strategy()).isEqualTo(RoutingStrategy.SIMPLE_SHUFFLE);
    assertThat(config.errors())
        .containsExactlyInAnyOrder(
            "config.yaml: router_settings.num_retries: must be a whole number, zero or more, got"
                + " a number; using the default",
            "config.yaml: router_settings.cooldown_time: must be a number, zero or more, got"
                + " text; using the default",
            "config.yaml: router_settings.fallbacks: expected a list, got text; using the default");
    assertThat(config.warnings())
        .containsExactlyInAnyOrder(
            "config.yaml: router_settings.retry_policy.TeapotErrorRetries: is not an error class"
                + " this gateway knows; ignored",
            "config.yaml: router_settings.routing_strategy: is not a strategy this gateway"
                + " knows: using simple-shuffle");
  }

  @Test
  void namesNoDeploymentServesAndAliasesOfRealGroupsAreWarnedAbout() {
    GatewayConfig config =
        load(
            MODELS
                + """
                router_settings:
                  fallbacks: [{gpt-4o: [gpt-5, openai/o3]}]
                  model_group_alias: {claude: gpt-4o, old: missing}
                """);
    assertThat(config.warnings())
        .containsExactlyInAnyOrder(
            "config.yaml: router_settings.fallbacks.gpt-4o[0]: names a model no deployment"
                + " serves; skipped when tried",
            "config.yaml: router_settings.model_group_alias.claude: is the name of a model group,"
                + " which it cannot replace; ignored",
            "config.yaml: router_settings.model_group_alias.old: names a model no deployment"
                + " serves; skipped when tried");
    assertThat(config.router().aliases()).containsOnlyKeys("old");
  }

  @Test
  void aGroupNamedTwiceInFallbacksKeepsItsFirstEntryAsLiteLlmFindsIt() {
    GatewayConfig config =
        load(
            MODELS
                + "router_settings:\n  fallbacks: [{gpt-4o: [claude]}, {gpt-4o: [gpt-4o-mini]}]\n");
    assertThat(config.router().fallbacks()).isEqualTo(Map.of("gpt-4o", List.of("claude")));
  }

  @Test
  void eachDeploymentsHintsAreReadInsideOrBesideItsParams() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: g
                tpm: 1000
                rpm: 10
                litellm_params:
                  model: openai/a
                  rpm: 20
                  weight: 2.5
                  order: 1
                  max_parallel_requests: 8
                  num_retries: 0
                  cooldown_time: 30
                model_info: {id: a, max_input_tokens: 128000}
              - model_name: g
                litellm_params: {model: openai/b, order: 0, weight: nothing}
                model_info: {id: b}
            """);
    Deployment a = config.deployments().get(0);
    assertThat(a.routing())
        .isEqualTo(new RoutingHints(2.5, 20, 1000, 8, 1, 0, Duration.ofSeconds(30), 128_000));
    assertThat(config.deployments().get(1).routing()).isEqualTo(RoutingHints.NONE);
    assertThat(config.errors())
        .containsExactlyInAnyOrder(
            "config.yaml: model_list[1].litellm_params.order: must be at least 1; ignored",
            "config.yaml: model_list[1].litellm_params.weight: must be a positive number of"
                + " shares, got text; ignored");
  }
}
