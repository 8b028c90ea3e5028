package io.feathergate.config;

import static io.feathergate.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.GatewayConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every key is either used or warned about, once, with its path; none stops startup. */
class UnknownKeysTest {

  @Test
  void unknownAndUnsupportedKeysWarnOnceEachWithTheirPathAndNeverStopLoading() {
    GatewayConfig config =
        load(
            """
            model_lists: []
            include: [more_models.yaml]
            credential_list:
              - credential_name: azure-prod
                credential_values: {api_key: os.environ/AZURE_API_KEY}
            guardrails:
              - guardrail_name: pii
            mcp_servers: {github: {url: https://mcp.example}}
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: gpt-4o}
                model_infos: {id: typo}
                model_info: {access_groups: [beta]}
              - model_name: gpt-4o
                litellm_params: {model: gpt-4o}
                model_infos: {id: typo-again}
            general_settings:
              master_kee: sk-typo
              allowed_ips: [10.0.0.1]
              database_url: postgres://db
            litellm_settings:
              set_verbose: True
              modify_params: true
              brand_new_setting: 1
            router_settings:
              enable_tag_filtering: true
              routing_strategy_typo: x
            """,
            Map.of("OPENAI_API_KEY", "sk-test"));

    assertThat(config.deployments()).hasSize(2);
    assertThat(config.errors()).isEmpty();
    assertThat(config.warnings())
        .containsExactlyInAnyOrder(
            "config.yaml: model_lists: unknown key; ignored",
            "config.yaml: include: merging further files is not supported yet; their models and"
                + " settings are not loaded",
            "config.yaml: credential_list: not supported yet; deployments that name a"
                + " litellm_credential_name get no credentials from it",
            "config.yaml: guardrails: not supported by FeatherGate yet; ignored",
            "config.yaml: mcp_servers: not supported by FeatherGate yet; ignored",
            "config.yaml: model_list[0].model_infos: unknown key; ignored",
            "config.yaml: model_list[0].model_info.access_groups: accepted but not honoured yet;"
                + " ignored",
            "config.yaml: model_list[1].model_infos: unknown key; ignored",
            "config.yaml: general_settings.master_kee: unknown key; ignored",
            "config.yaml: general_settings.allowed_ips: not supported by FeatherGate yet; ignored",
            "config.yaml: litellm_settings.set_verbose: logging goes through the container's"
                + " java.util.logging; ignored",
            "config.yaml: litellm_settings.modify_params: accepted but not honoured yet; ignored",
            "config.yaml: litellm_settings.brand_new_setting: unknown key; ignored",
            "config.yaml: router_settings.enable_tag_filtering: accepted but not honoured yet;"
                + " ignored",
            "config.yaml: router_settings.routing_strategy_typo: unknown key; ignored");
  }

  @Test
  void aKeyReachedTwiceThroughAnAliasStillWarnsOnce() {
    GatewayConfig config =
        load(
            """
            general_settings: &general
              <<: {surprise: 1}
            litellm_settings:
              cache: true
            model_list: []
            """);

    assertThat(config.warnings())
        .containsExactly("config.yaml: general_settings.surprise: unknown key; ignored");
    assertThat(config.warnings()).doesNotHaveDuplicates();
  }

  @Test
  void knownFeatureKeysSetToNothingDoNotWarn() {
    GatewayConfig config =
        load(
            """
            guardrails: []
            router_settings: {fallbacks: [], disable_cooldowns: false}
            litellm_settings: {cache: false}
            """);

    assertThat(config.warnings()).isEmpty();
  }
}
