package io.feathergate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in default: a demo model that needs nothing, and OpenAI when a key is there. */
class DefaultConfigTest {

  @Test
  void withoutAnyKeyOnlyTheDemoModelIsServedAndNothingIsReported() {
    GatewayConfig config = new ConfigLoader(Map.of(), Configs.OPENAI_ONLY).loadDefault();

    assertThat(config.source()).isEqualTo("built-in default");
    Deployment demo = Configs.only(config);
    assertThat(demo.modelGroup()).isEqualTo("demo");
    assertThat(demo.provider()).isEqualTo("openai");
    assertThat(demo.unavailableReason()).isNull();
    assertThat(demo.mockResponse())
        .contains(
            "FeatherGate",
            "demo model",
            "without any network or API key",
            "config.yaml",
            "OPENAI_API_KEY")
        .doesNotContain("\n");
    assertThat(config.warnings()).isEmpty();
    assertThat(config.errors()).isEmpty();
    assertThat(config.settings().authRequired()).isFalse();
  }

  @Test
  void withOpenAiApiKeyEveryOpenAiModelIsReachableByName() {
    GatewayConfig config =
        new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-default"), Configs.OPENAI_ONLY).loadDefault();

    assertThat(config.deployments())
        .extracting(Deployment::modelGroup)
        .containsExactly("demo", "*");
    Deployment wildcard = Configs.group(config, "*");
    assertThat(wildcard.provider()).isEqualTo("openai");
    assertThat(wildcard.upstreamModel()).isEqualTo("*");
    assertThat(wildcard.apiKey().matches("sk-default")).isTrue();
    assertThat(config.errors()).isEmpty();
  }

  @Test
  void withAnthropicApiKeyClaudeIsReachableByItsOwnNameAndPrefixed() {
    GatewayConfig config =
        new ConfigLoader(
                Map.of("ANTHROPIC_API_KEY", "sk-ant-default"),
                java.util.Set.of("openai", "anthropic"))
            .loadDefault();

    assertThat(config.deployments())
        .extracting(Deployment::modelGroup)
        .containsExactly("demo", "claude-*", "anthropic/*");
    io.feathergate.core.routing.DeploymentDirectory directory =
        new io.feathergate.core.routing.DeploymentDirectory(config.deployments());
    io.feathergate.core.spi.Route byName =
        directory.route("claude-sonnet-4-5", "/chat/completions");
    assertThat(byName.deployment().provider()).isEqualTo("anthropic");
    assertThat(byName.upstreamModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(directory.route("anthropic/claude-haiku-4-5", "/chat/completions").upstreamModel())
        .isEqualTo("claude-haiku-4-5");
    assertThat(config.errors()).isEmpty();
  }

  @Test
  void withGeminiApiKeyGeminiIsReachableThroughAiStudio() {
    GatewayConfig config =
        new ConfigLoader(
                Map.of("GEMINI_API_KEY", "gem-default"), java.util.Set.of("openai", "gemini"))
            .loadDefault();

    assertThat(config.deployments())
        .extracting(Deployment::modelGroup)
        .containsExactly("demo", "gemini-*", "gemini/*");
    io.feathergate.core.spi.Route route =
        new io.feathergate.core.routing.DeploymentDirectory(config.deployments())
            .route("gemini-2.5-flash", "/chat/completions");
    assertThat(route.deployment().provider()).isEqualTo("gemini");
    assertThat(route.upstreamModel()).isEqualTo("gemini-2.5-flash");
    assertThat(config.errors()).isEmpty();
  }

  @Test
  void liteLlmMasterKeyProtectsTheDefaultToo() {
    GatewayConfig config =
        new ConfigLoader(Map.of("LITELLM_MASTER_KEY", "sk-admin"), Configs.OPENAI_ONLY)
            .loadDefault();

    assertThat(config.settings().masterKey().matches("sk-admin")).isTrue();
  }
}
