package io.feathergate.config;

import static io.feathergate.config.Configs.group;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.GatewayConfig;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.ProviderTable;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Deployments of the providers in the table load as LiteLLM users write them. */
class ProviderRowsConfigTest {
  static final Set<String> ALL =
      ProviderTable.ROWS.stream().map(ProviderSpec::name).collect(Collectors.toSet());

  static GatewayConfig load(String yaml, Map<String, String> environment) {
    return new ConfigLoader(environment, ALL).load(yaml, "config.yaml");
  }

  @Test
  void theCompatibleFamilyTakesItsKeysFromTheEnvironment() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: llama
                litellm_params:
                  model: groq/llama-3.3-70b-versatile
              - model_name: mistral
                litellm_params:
                  model: mistral/mistral-large-latest
              - model_name: claude-or
                litellm_params:
                  model: openrouter/anthropic/claude-3.5-sonnet
            """,
            Map.of(
                "GROQ_API_KEY", "gsk_test_key_1234567890",
                "MISTRAL_API_KEY", "mistral-key",
                "OR_API_KEY", "sk-or-key",
                "OR_SITE_URL", "https://app.example",
                "OR_APP_NAME", "My App"));
    assertThat(config.errors()).isEmpty();
    assertThat(group(config, "llama").apiKey().matches("gsk_test_key_1234567890")).isTrue();
    assertThat(group(config, "mistral").apiKey().matches("mistral-key")).isTrue();
    assertThat(group(config, "claude-or").upstreamModel()).isEqualTo("anthropic/claude-3.5-sonnet");
    assertThat(group(config, "claude-or").apiKey().matches("sk-or-key")).isTrue();
    assertThat(group(config, "claude-or").extraHeaders())
        .containsEntry("HTTP-Referer", "https://app.example")
        .containsEntry("X-Title", "My App");
    assertThat(group(config, "llama").extraHeaders()).isEmpty();
  }

  @Test
  void aSelfHostedServerNeedsItsApiBase() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: local
                litellm_params:
                  model: hosted_vllm/meta-llama/Llama-3.1-8B-Instruct
              - model_name: studio
                litellm_params:
                  model: lm_studio/qwen2.5
              - model_name: proxied
                litellm_params:
                  model: litellm_proxy/gpt-4o
                  api_base: http://127.0.0.1:4000
            """,
            Map.of("LM_STUDIO_API_BASE", "http://127.0.0.1:1234/v1"));
    assertThat(config.errors())
        .containsExactly(
            "config.yaml: model_list[0].litellm_params.api_base: is required: hosted_vllm has no"
                + " public endpoint; name your server's URL here (or set HOSTED_VLLM_API_BASE);"
                + " deployment skipped");
    assertThat(group(config, "studio").apiBase()).hasToString("http://127.0.0.1:1234/v1");
    assertThat(group(config, "proxied").apiBase()).hasToString("http://127.0.0.1:4000");
    assertThat(group(config, "proxied").apiKey()).isNull();
  }

  @Test
  void azureSettingsComeFromTheEntryOrTheEnvironmentAndSecretsStaySecret() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: azure/gpt-4o-prod
                  api_base: https://res.openai.azure.com
                  tenant_id: tenant-1
                  client_id: client-1
                  client_secret: os.environ/MY_SECRET
              - model_name: gpt-4o-key
                litellm_params:
                  model: azure/gpt-4o-prod
                  api_version: v1
            """,
            Map.of(
                "MY_SECRET", "entra-secret-value-123",
                "AZURE_API_BASE", "https://env.openai.azure.com",
                "AZURE_API_KEY", "azure-env-key",
                "AZURE_API_VERSION", "2024-10-21"));
    assertThat(config.errors()).isEmpty();
    var entra = group(config, "gpt-4o");
    assertThat(entra.setting("tenant_id")).isEqualTo("tenant-1");
    assertThat(entra.setting("api_version")).isEqualTo("2024-10-21");
    assertThat(entra.secret("client_secret").reveal()).isEqualTo("entra-secret-value-123");
    assertThat(entra.settings()).doesNotContainKey("client_secret");
    var keyed = group(config, "gpt-4o-key");
    assertThat(keyed.apiBase()).hasToString("https://env.openai.azure.com");
    assertThat(keyed.setting("api_version")).isEqualTo("v1");
    assertThat(keyed.apiKey().reveal()).isEqualTo("azure-env-key");
    assertThat(
            io.feathergate.core.errors.SecretRedactor.of(config)
                .redact("echo: entra-secret-value-123 and azure-env-key"))
        .isEqualTo("echo: [redacted] and [redacted]");
  }

  @Test
  void bedrockTakesAwsKeysFromTheEnvironmentAndSaysRolesAreNotYetSupported() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: claude
                litellm_params:
                  model: bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0
                  aws_region_name: eu-central-1
                  aws_role_name: arn:aws:iam::123:role/bedrock
            """,
            Map.of(
                "AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE123456",
                "AWS_SECRET_ACCESS_KEY", "env/secret/access/key/0123456789",
                "AWS_SESSION_TOKEN", "env-session-token-0123456789"));
    assertThat(config.errors()).isEmpty();
    var claude = group(config, "claude");
    assertThat(claude.upstreamModel()).isEqualTo("anthropic.claude-3-5-sonnet-20240620-v1:0");
    assertThat(claude.setting("aws_region_name")).isEqualTo("eu-central-1");
    assertThat(claude.setting("aws_access_key_id")).isEqualTo("AKIAENVEXAMPLE123456");
    assertThat(claude.secret("aws_secret_access_key").reveal())
        .isEqualTo("env/secret/access/key/0123456789");
    assertThat(config.warnings())
        .anySatisfy(w -> assertThat(w).contains("aws_role_name").contains("not supported yet"));
    assertThat(
            io.feathergate.core.errors.SecretRedactor.of(config)
                .redact("key env/secret/access/key/0123456789 token env-session-token-0123456789"))
        .isEqualTo("key [redacted] token [redacted]");
  }

  static final String ACCOUNT =
      "{\"type\":\"service_account\",\"project_id\":\"proj-1\",\"private_key_id\":\"k1\","
          + "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\\\n"
          + "-----END PRIVATE KEY-----\\\\n\",\"client_email\":\"sa@proj-1.iam.gserviceaccount.com\","
          + "\"token_uri\":\"https://oauth2.googleapis.com/token\"}";

  @Test
  void vertexReadsItsServiceAccountFromAFileOrTheJsonItself() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("sa", ".json");
    try {
      java.nio.file.Files.writeString(file, ACCOUNT);
      GatewayConfig config =
          load(
              "model_list:\n"
                  + "  - model_name: gemini\n"
                  + "    litellm_params:\n"
                  + "      model: vertex_ai/gemini-2.5-pro\n"
                  + "      vertex_location: global\n"
                  + "  - model_name: claude\n"
                  + "    litellm_params:\n"
                  + "      model: vertex_ai/claude-sonnet-4-5@20250929\n"
                  + "      vertex_ai_project: other\n"
                  + "      vertex_credentials: '"
                  + ACCOUNT
                  + "'\n"
                  + "  - model_name: broken\n"
                  + "    litellm_params:\n"
                  + "      model: vertex_ai/gemini-2.5-pro\n"
                  + "      vertex_credentials: '{\"type\":\"external_account\"}'\n",
              Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString()));
      var gemini = group(config, "gemini");
      assertThat(gemini.setting("vertex_client_email"))
          .isEqualTo("sa@proj-1.iam.gserviceaccount.com");
      assertThat(gemini.setting("vertex_credentials_project")).isEqualTo("proj-1");
      assertThat(gemini.setting("vertex_location")).isEqualTo("global");
      assertThat(gemini.secret("vertex_private_key").reveal()).startsWith("-----BEGIN PRIVATE KEY");
      assertThat(group(config, "claude").setting("vertex_project")).isEqualTo("other");
      assertThat(config.errors())
          .singleElement()
          .satisfies(
              e -> assertThat(e).contains("external_account").contains("deployment skipped"));
      assertThat(
              io.feathergate.core.errors.SecretRedactor.of(config)
                  .redact("x MIIEvQIBADANBgkqhkiG9w0BAQEFAASC y"))
          .isEqualTo("x [redacted] y");
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  static GatewayConfig loadResource(String name, Map<String, String> environment)
      throws java.io.IOException {
    try (java.io.InputStream in =
        ProviderRowsConfigTest.class.getResourceAsStream("/config/" + name)) {
      return new ConfigLoader(environment, ALL)
          .load(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), name);
    }
  }

  @Test
  void theLitellmExamplesOfTheseProvidersLoadWithEveryDeploymentServed() throws Exception {
    GatewayConfig config =
        loadResource(
            "enterprise_providers.yaml",
            Map.ofEntries(
                Map.entry("AZURE_API_BASE", "https://my-endpoint.openai.azure.com/"),
                Map.entry("AZURE_API_KEY", "azure-key-0123456789"),
                Map.entry("AZURE_TENANT_ID", "tenant"),
                Map.entry("AZURE_CLIENT_ID", "client"),
                Map.entry("AZURE_CLIENT_SECRET", "client-secret-0123456789"),
                Map.entry("AZURE_AI_API_KEY", "azure-ai-key-0123456789"),
                Map.entry("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE000000000"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "aws/secret/key/0123456789"),
                Map.entry("AWS_REGION_NAME", "us-west-2"),
                Map.entry("VERTEX_SA_JSON", ACCOUNT),
                Map.entry("GROQ_API_KEY", "gsk_0123456789abcdef"),
                Map.entry("OPENROUTER_API_KEY", "sk-or-0123456789"),
                Map.entry("MISTRAL_API_KEY", "mistral-0123456789")));
    assertThat(config.errors()).isEmpty();
    assertThat(config.warnings()).isEmpty();
    assertThat(config.deployments()).hasSize(12);
    assertThat(config.deployments()).allSatisfy(d -> assertThat(d.unavailableReason()).isNull());
    assertThat(group(config, "ollama-chat").apiBase()).isNull();
    assertThat(group(config, "bedrock-nova").secret("aws_secret_access_key").reveal())
        .isEqualTo("aws/secret/key/0123456789");

    GatewayConfig endpoints =
        loadResource(
            "endpoints_config.yaml",
            Map.of(
                "OPENAI_API_KEY", "sk-0123456789",
                "AZURE_API_KEY", "azure-key-0123456789",
                "AZURE_API_BASE", "https://my-endpoint.openai.azure.com/",
                "GEMINI_API_KEY", "gemini-0123456789",
                "MISTRAL_API_KEY", "mistral-0123456789",
                "COHERE_API_KEY", "cohere-0123456789",
                "JINA_AI_API_KEY", "jina-0123456789"));
    assertThat(endpoints.errors()).isEmpty();
    assertThat(endpoints.warnings()).isEmpty();
    assertThat(endpoints.deployments()).hasSize(12);
    assertThat(endpoints.deployments()).allSatisfy(d -> assertThat(d.unavailableReason()).isNull());
    assertThat(group(endpoints, "whisper").mode()).isEqualTo("audio_transcription");
    assertThat(group(endpoints, "rerank-english-v3.0").provider()).isEqualTo("cohere");
    assertThat(group(endpoints, "gpt-instruct").provider()).isEqualTo("text-completion-openai");
    assertThat(group(endpoints, "dall-e-3").provider()).isEqualTo("openai");

    GatewayConfig azureFile =
        loadResource("azure_config.yaml", Map.of("AZURE_API_KEY", "k", "OPENAI_API_KEY", "sk"));
    assertThat(azureFile.errors()).isEmpty();
    assertThat(azureFile.deployments()).hasSize(3);
    GatewayConfig balancer =
        loadResource(
            "load_balancer.yaml",
            Map.of("OPENAI_KEY_1", "a", "OPENAI_KEY_2", "b", "OPENROUTER_API_KEY", "c"));
    // only the entry LiteLLM refuses too (no provider) is left out
    assertThat(balancer.deployments()).hasSize(3);
    assertThat(balancer.errors())
        .singleElement()
        .satisfies(e -> assertThat(e).contains("mistralai"));
  }
}
