package io.feathergate.config;

import static io.feathergate.config.Configs.group;
import static io.feathergate.config.Configs.load;
import static io.feathergate.config.Configs.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code os.environ/NAME} and {@code ${NAME}}, resolved anywhere, overlay first. */
class EnvironmentResolutionTest {

  @Test
  void osEnvironReferencesAreResolvedInAnyValueQuotedOrNot() {
    Deployment deployment =
        only(
            load(
                """
                model_list:
                  - model_name: os.environ/MODEL_GROUP
                    litellm_params:
                      model: os.environ/MODEL
                      api_key: "os.environ/TEAM_KEY"
                      api_base: os.environ/TEAM_BASE
                      extra_headers: {X-Tenant: os.environ/TENANT}
                      user: os.environ/TENANT
                """,
                Map.of(
                    "MODEL_GROUP", "team-model",
                    "MODEL", "openai/gpt-4o",
                    "TEAM_KEY", "sk-team",
                    "TEAM_BASE", "https://team.example/v1",
                    "TENANT", "acme")));

    assertThat(deployment.modelGroup()).isEqualTo("team-model");
    assertThat(deployment.upstreamModel()).isEqualTo("gpt-4o");
    assertThat(deployment.apiKey().matches("sk-team")).isTrue();
    assertThat(deployment.apiBase()).isEqualTo(URI.create("https://team.example/v1"));
    assertThat(deployment.extraHeaders()).containsEntry("X-Tenant", "acme");
    assertThat(deployment.defaultParams().get("user").asText()).isEqualTo("acme");
  }

  @Test
  void dollarBracePlaceholdersAreReplacedInsideStringsAndInNestedValues() {
    Deployment deployment =
        only(
            load(
                """
                model_list:
                  - model_name: m
                    litellm_params:
                      model: openai/gpt-4o
                      api_base: "https://${LLM_HOST}:${LLM_PORT}/v1"
                      metadata_tags: ["${ENV_NAME}", "static"]
                      response_format: {type: "${FORMAT}"}
                """,
                Map.of(
                    "LLM_HOST",
                    "llm.example",
                    "LLM_PORT",
                    "8443",
                    "ENV_NAME",
                    "prod",
                    "FORMAT",
                    "json_object")));

    assertThat(deployment.apiBase()).isEqualTo(URI.create("https://llm.example:8443/v1"));
    assertThat(deployment.defaultParams().get("metadata_tags").get(0).asText()).isEqualTo("prod");
    assertThat(deployment.defaultParams().get("response_format").get("type").asText())
        .isEqualTo("json_object");
  }

  @Test
  void environmentVariablesInTheConfigWinOverTheProcessEnvironment() {
    Deployment deployment =
        only(
            load(
                """
                environment_variables:
                  OPENAI_API_KEY: sk-from-config
                  REGION_BASE: https://eu.example/v1
                model_list:
                  - model_name: m
                    litellm_params:
                      model: gpt-4o
                      api_key: os.environ/OPENAI_API_KEY
                      api_base: os.environ/REGION_BASE
                """,
                Map.of("OPENAI_API_KEY", "sk-from-process", "REGION_BASE", "https://us.example")));

    assertThat(deployment.apiKey().matches("sk-from-config")).isTrue();
    assertThat(deployment.apiBase()).isEqualTo(URI.create("https://eu.example/v1"));
  }

  @Test
  void anUnsetVariableMakesOnlyItsDeploymentUnavailableAndNamesTheVariable() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: a
                litellm_params: {model: openai/gpt-4o, api_key: os.environ/KEY_A}
              - model_name: b
                litellm_params: {model: openai/gpt-4o, api_key: os.environ/MISSING_KEY}
              - model_name: c
                litellm_params: {model: openai/gpt-4o, api_key: os.environ/KEY_A}
            """,
            Map.of("KEY_A", "sk-a", "OPENAI_API_KEY", "sk-must-not-stand-in"));

    assertThat(config.deployments()).hasSize(3);
    Deployment broken = group(config, "b");
    assertThat(broken.unavailableReason())
        .isEqualTo(
            "environment variable MISSING_KEY is not set (model_list[1].litellm_params.api_key)");
    // the user named a different variable: OPENAI_API_KEY must not stand in for it
    assertThat(broken.apiKey()).isNull();
    assertThat(group(config, "a").unavailableReason()).isNull();
    assertThat(group(config, "c").unavailableReason()).isNull();
    assertThat(config.errors())
        .containsExactly(
            "config.yaml: model_list[1].litellm_params.api_key: environment variable MISSING_KEY"
                + " is not set");
  }

  @Test
  void anUnsetPlaceholderInsideAStringLeavesNoHalfResolvedValue() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: m
                litellm_params: {model: openai/gpt-4o, api_base: "https://${NO_HOST}/v1"}
            """);

    Deployment deployment = only(config);
    assertThat(deployment.apiBase()).isNull();
    assertThat(deployment.unavailableReason())
        .isEqualTo(
            "environment variable NO_HOST is not set (model_list[0].litellm_params.api_base)");
  }

  @Test
  void anUnsetApiBaseVariableGetsNoDefaultFromTheEnvironment() {
    Deployment deployment =
        only(
            load(
                "model_list: [{model_name: m, litellm_params: {model: gpt-4o,"
                    + " api_base: os.environ/TEAM_BASE}}]",
                Map.of("OPENAI_API_BASE", "https://must-not-stand-in.example/v1")));

    assertThat(deployment.apiBase()).isNull();
    assertThat(deployment.unavailableReason())
        .isEqualTo(
            "environment variable TEAM_BASE is not set (model_list[0].litellm_params.api_base)");
  }

  @Test
  void numbersFromTheEnvironmentAreCoercedAfterResolving() {
    Deployment deployment =
        only(
            load(
                """
                model_list:
                  - model_name: m
                    litellm_params:
                      model: openai/gpt-4o
                      timeout: os.environ/LLM_TIMEOUT
                      stream_timeout: os.environ/LLM_STREAM_TIMEOUT
                      max_retries: os.environ/LLM_RETRIES
                """,
                Map.of("LLM_TIMEOUT", "12.5", "LLM_STREAM_TIMEOUT", "4", "LLM_RETRIES", "3")));

    assertThat(deployment.timeout()).isEqualTo(Duration.ofMillis(12_500));
    assertThat(deployment.streamTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(deployment.maxRetries()).isEqualTo(3);
  }

  @Test
  void aNonNumericTimeoutFromTheEnvironmentSkipsTheEntryWithoutQuotingIt() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: m
                litellm_params: {model: openai/gpt-4o, timeout: os.environ/LLM_TIMEOUT}
            """,
            Map.of("LLM_TIMEOUT", "ten-seconds"));

    assertThat(config.deployments()).isEmpty();
    assertThat(config.errors())
        .containsExactly(
            "config.yaml: model_list[0].litellm_params.timeout: must be a positive number of"
                + " seconds, got text; deployment skipped");
  }

  @Test
  void anUnsetVariableInARequiredValueSkipsTheEntryNamingTheVariable() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: m
                litellm_params: {model: os.environ/DEPLOYED_MODEL}
            """);

    assertThat(config.deployments()).isEmpty();
    assertThat(config.errors())
        .containsExactly(
            "config.yaml: model_list[0].litellm_params.model: environment variable DEPLOYED_MODEL"
                + " is not set; deployment skipped");
  }

  @Test
  void anUnsetVariableInASettingWarnsAndTheSettingIsAbsent() {
    GatewayConfig config =
        load(
            """
            router_settings: {timeout: os.environ/ROUTER_TIMEOUT}
            general_settings: {max_request_size_mb: os.environ/MAX_MB}
            model_list:
              - {model_name: m, litellm_params: {model: gpt-4o}}
            """);

    assertThat(only(config).timeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(config.settings().maxRequestBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(config.errors()).isEmpty();
    assertThat(config.warnings())
        .containsExactlyInAnyOrder(
            "config.yaml: router_settings.timeout: environment variable ROUTER_TIMEOUT is not set;"
                + " treated as absent",
            "config.yaml: general_settings.max_request_size_mb: environment variable MAX_MB is not"
                + " set; treated as absent");
  }

  @Test
  void booleansFromTheEnvironmentAreAcceptedAsText() {
    GatewayConfig config =
        load(
            "general_settings: {always_include_stream_usage: os.environ/USAGE}",
            Map.of("USAGE", "true"));

    assertThat(config.settings().alwaysIncludeStreamUsage()).isTrue();
  }

  @Test
  void anEmptyEnvironmentValueCountsAsUnset() {
    GatewayConfig config =
        load(
            "model_list: [{model_name: m, litellm_params: {model: gpt-4o, api_key: os.environ/K}}]",
            Map.of("K", ""));

    assertThat(only(config).unavailableReason()).startsWith("environment variable K is not set");
  }

  @Test
  void environmentVariablesOverlayValuesAreWrittenAsLiteLlmWritesThem() {
    GatewayConfig config =
        load(
            """
            environment_variables:
              USAGE: True
              TIMEOUT: 30
              NESTED: {a: b}
            general_settings: {always_include_stream_usage: os.environ/USAGE}
            router_settings: {timeout: os.environ/TIMEOUT}
            model_list: [{model_name: m, litellm_params: {model: gpt-4o}}]
            """);

    assertThat(config.settings().alwaysIncludeStreamUsage()).isTrue();
    assertThat(only(config).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.warnings())
        .containsExactly(
            "config.yaml: environment_variables.NESTED: must be text, got a mapping; ignored");
  }
}
