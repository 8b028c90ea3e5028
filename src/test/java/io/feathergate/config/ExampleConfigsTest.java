package io.feathergate.config;

import static io.feathergate.config.Configs.group;
import static io.feathergate.config.Configs.loadResource;
import static io.feathergate.config.Configs.only;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import io.feathergate.core.GatewaySettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config shapes taken from LiteLLM's example configs load as a LiteLLM user expects. */
class ExampleConfigsTest {

  @Test
  void simpleConfigServesABareOpenAiModelWithTheKeyFromTheEnvironment() {
    GatewayConfig config =
        loadResource("simple_config.yaml", Map.of("OPENAI_API_KEY", "sk-test-simple"));

    Deployment deployment = only(config);
    assertThat(deployment.modelGroup()).isEqualTo("gpt-3.5-turbo");
    assertThat(deployment.provider()).isEqualTo("openai");
    assertThat(deployment.upstreamModel()).isEqualTo("gpt-3.5-turbo");
    assertThat(deployment.apiBase()).isNull();
    assertThat(deployment.apiKey().matches("sk-test-simple")).isTrue();
    assertThat(deployment.timeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(deployment.streamTimeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(deployment.maxRetries()).isZero();
    assertThat(deployment.defaultParams()).isEmpty();
    assertThat(deployment.unavailableReason()).isNull();
    assertThat(deployment.id()).matches("[0-9a-f]{16}");
    assertThat(config.source()).isEqualTo("simple_config.yaml");
    assertThat(config.warnings()).isEmpty();
    assertThat(config.errors()).isEmpty();
  }

  @Test
  void loadBalancerGroupLoadsItsOpenAiKeysAndReportsTheEntriesItCannotServe() {
    GatewayConfig config =
        loadResource(
            "load_balancer.yaml", Map.of("OPENAI_KEY_1", "sk-one", "OPENAI_KEY_2", "sk-two"));

    assertThat(config.deployments()).hasSize(2);
    assertThat(config.deployments()).allMatch(d -> d.modelGroup().equals("gpt-3.5-turbo"));
    assertThat(config.deployments().get(0).apiKey().matches("sk-one")).isTrue();
    assertThat(config.deployments().get(1).apiKey().matches("sk-two")).isTrue();
    assertThat(config.deployments().get(0).id()).isNotEqualTo(config.deployments().get(1).id());
    // tpm/rpm beside litellm_params and drop_params: True are accepted without a word
    assertThat(config.warnings()).isEmpty();
    assertThat(config.errors())
        .containsExactly(
            "load_balancer.yaml: model_list[2].litellm_params.model: provider 'openrouter' is not"
                + " supported yet by this FeatherGate; deployment skipped",
            "load_balancer.yaml: model_list[3].litellm_params.model: LLM Provider NOT provided for"
                + " model 'mistralai/mistral-7b-instruct'. Write it as provider/model, e.g."
                + " openai/mistralai/mistral-7b-instruct (with api_base for any OpenAI-compatible"
                + " server); deployment skipped");
  }

  @Test
  void azureEntriesAreSkippedAsUnsupportedWhileTheOpenAiEntryLoadsWithUnderscoreIntegers() {
    // AZURE_API_KEY is unset: the skipped azure entries must not also complain about it
    GatewayConfig config =
        loadResource("azure_config.yaml", Map.of("OPENAI_API_KEY", "sk-test-azure-file"));

    Deployment openai = only(config);
    assertThat(openai.id()).isEqualTo("openai-gpt-4o");
    assertThat(openai.modelGroup()).isEqualTo("gpt-4o");
    assertThat(openai.upstreamModel()).isEqualTo("gpt-4o");
    // 4_096 is YAML 1.1's underscore integer; tpm is a routing hint, not a request parameter
    assertThat(openai.defaultParams())
        .containsExactly(Map.entry("max_tokens", IntNode.valueOf(4096)));
    assertThat(config.errors())
        .containsExactly(
            "azure_config.yaml: model_list[0].litellm_params.model: provider 'azure' is not"
                + " supported yet by this FeatherGate; deployment skipped",
            "azure_config.yaml: model_list[1].litellm_params.model: provider 'azure' is not"
                + " supported yet by this FeatherGate; deployment skipped");
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void anchorsAliasesAndMergeKeysShareHeadersAndParameters() {
    GatewayConfig config =
        loadResource("anchors_config.yaml", Map.of("COPILOT_TOKEN", "ghu-test-token"));

    assertThat(config.errors()).isEmpty();
    assertThat(config.warnings()).isEmpty();
    Map<String, String> headers =
        Map.of("Editor-Version", "vscode/1.85.1", "Copilot-Integration-Id", "vscode-chat");
    Deployment base = group(config, "copilot-gpt-4o");
    Deployment merged = group(config, "copilot-gpt-4o-mini");
    Deployment aliased = group(config, "copilot-o3");

    assertThat(base.extraHeaders()).isEqualTo(headers);
    assertThat(base.defaultParams()).isEmpty();
    // <<: *copilot brings api_base, key, timeout and headers; its own model and temperature win
    assertThat(merged.upstreamModel()).isEqualTo("gpt-4o-mini");
    assertThat(merged.apiBase()).isEqualTo(URI.create("https://api.githubcopilot.example/v1"));
    assertThat(merged.apiKey().matches("ghu-test-token")).isTrue();
    assertThat(merged.timeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(merged.extraHeaders()).isEqualTo(headers);
    assertThat(merged.defaultParams()).containsOnlyKeys("temperature");
    assertThat(merged.defaultParams().get("temperature").doubleValue()).isEqualTo(0.2);
    assertThat(aliased.extraHeaders()).isEqualTo(headers);
    assertThat(aliased.timeout()).isEqualTo(Duration.ofSeconds(600));
  }

  @Test
  void routerConfigWithFlowStyleFallbacksAndPythonBooleansLoadsAndSaysWhatIsNotHonoured() {
    GatewayConfig config =
        loadResource(
            "router_config.yaml",
            Map.of(
                "OPENAI_API_KEY", "sk-test-router",
                "LITELLM_MASTER_KEY", "sk-master-router",
                "REDIS_HOST", "redis.internal"));

    assertThat(config.errors()).isEmpty();
    assertThat(config.deployments()).hasSize(3);
    Deployment gpt4o = group(config, "gpt-4o");
    // router_settings.timeout beats litellm_settings.request_timeout
    assertThat(gpt4o.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(gpt4o.streamTimeout()).isEqualTo(Duration.ofSeconds(30));
    Deployment mini = group(config, "gpt-4o-mini");
    assertThat(mini.id()).isEqualTo("mini");
    assertThat(mini.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(mini.streamTimeout()).isEqualTo(Duration.ofSeconds(20));
    Deployment wildcard = group(config, "*");
    assertThat(wildcard.isWildcard()).isTrue();
    assertThat(wildcard.upstreamModel()).isEqualTo("*");

    GatewaySettings settings = config.settings();
    assertThat(settings.masterKey().matches("sk-master-router")).isTrue();
    assertThat(settings.masterKeyProblem()).isNull();
    assertThat(settings.customKeyHeader()).isEqualTo("X-Gateway-Key");
    assertThat(settings.maxRequestBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(settings.alwaysIncludeStreamUsage()).isTrue();
    // the router's keys, flow style included
    assertThat(config.router().fallbacks()).containsEntry("gpt-4o", List.of("gpt-4o-mini"));
    assertThat(config.router().numRetries()).isEqualTo(2);
    // LiteLLM's router Redis, the one the replicas share (the unset port is the default)
    assertThat(settings.redis().describe()).isEqualTo("redis://redis.internal:6379");
    // LiteLLM's response cache, in that Redis, for LiteLLM's default 60 s
    assertThat(settings.cache().on()).isTrue();
    assertThat(settings.cache().shared()).isTrue();
    assertThat(settings.cache().ttl()).hasSeconds(60);

    assertThat(config.warnings())
        .containsExactlyInAnyOrder(
            "router_config.yaml: general_settings.database_url: environment variable DATABASE_URL"
                + " is not set; treated as absent",
            "router_config.yaml: litellm_settings.success_callback: callback 'langfuse' is not"
                + " supported; ignored",
            "router_config.yaml: router_settings.redis_port: environment variable REDIS_PORT is"
                + " not set; treated as absent");
  }

  @Test
  void anEntryWithoutLitellmParamsIsSkippedWithItsPathWhileTheOthersLoad() {
    GatewayConfig config =
        loadResource("langfuse_config.yaml", Map.of("OPENAI_API_KEY", "sk-test-langfuse"));

    assertThat(only(config).modelGroup()).isEqualTo("gpt-4o");
    assertThat(config.errors())
        .containsExactly(
            "langfuse_config.yaml: model_list[0].litellm_params: missing required key; deployment"
                + " skipped");
    assertThat(config.warnings())
        .containsExactly(
            "langfuse_config.yaml: litellm_settings.success_callback: callback 'langfuse' is not"
                + " supported; ignored");
  }
}
