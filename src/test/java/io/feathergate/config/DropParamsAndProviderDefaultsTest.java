package io.feathergate.config;

import static io.feathergate.config.Configs.load;
import static io.feathergate.config.Configs.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code drop_params} (global and per deployment) and the provider keys read from the environment.
 */
class DropParamsAndProviderDefaultsTest {

  @Test
  void dropParamsIsOffUnlessConfigured() {
    assertThat(
            only(load("model_list: [{model_name: m, litellm_params: {model: gpt-4o}}]"))
                .dropParams())
        .isFalse();
  }

  @Test
  void globalDropParamsAppliesToEveryDeploymentAndADeploymentMayTurnItOff() {
    GatewayConfig config =
        load(
            """
            litellm_settings:
              drop_params: "true"
            model_list:
              - model_name: a
                litellm_params: {model: gpt-4o}
              - model_name: b
                litellm_params: {model: gpt-4o, drop_params: False}
            """);
    assertThat(config.deployments())
        .extracting(Deployment::dropParams)
        .containsExactly(true, false);
    assertThat(config.warnings()).noneMatch(w -> w.contains("drop_params"));
  }

  @Test
  void anthropicAndGeminiKeysComeFromTheirOwnVariables() {
    GatewayConfig config =
        new ConfigLoader(
                Map.of(
                    "ANTHROPIC_API_KEY", "sk-ant-env",
                    "ANTHROPIC_BASE_URL", "https://anthropic.proxy.example",
                    "GEMINI_API_KEY", "gem-env",
                    "OPENAI_API_KEY", "sk-openai-env"),
                Set.of("openai", "anthropic", "gemini"))
            .load(
                """
                model_list:
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5}
                  - model_name: flash
                    litellm_params: {model: gemini/gemini-2.5-flash}
                """,
                "config.yaml");
    Deployment claude = config.deployments().get(0);
    Deployment flash = config.deployments().get(1);
    assertThat(claude.apiKey().matches("sk-ant-env")).isTrue();
    assertThat(claude.apiBase()).isEqualTo(URI.create("https://anthropic.proxy.example"));
    assertThat(flash.apiKey().matches("gem-env")).isTrue();
    assertThat(flash.apiBase()).isNull();
    assertThat(claude.organization()).isNull();
  }
}
