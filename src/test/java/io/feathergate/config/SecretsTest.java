package io.feathergate.config;

import static io.feathergate.config.Configs.load;
import static io.feathergate.config.Configs.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No secret value reaches a warning, an error, an exception, an id or a record's toString. */
class SecretsTest {
  private static final String FILE_KEY = "sk-live-FILEKEY0123456789";
  private static final String ENV_KEY = "sk-live-ENVKEY0123456789";
  private static final String MASTER = "sk-master-MASTER0123456789";

  @Test
  void secretsInBrokenOrIgnoredPlacesNeverAppearInMessages() {
    GatewayConfig config =
        load(
            """
            general_settings:
              master_key: [%3$s]
              unknown_secret_holder: %1$s
            model_list:
              - model_name: bad-base
                litellm_params: {model: openai/gpt-4o, api_key: %1$s, api_base: "%1$s"}
              - model_name: azure
                litellm_params: {model: azure/gpt-4o, api_key: %1$s}
              - model_name: bad-timeout
                litellm_params: {model: openai/gpt-4o, timeout: os.environ/SECRET_ENV}
              - model_name: header
                litellm_params:
                  model: openai/gpt-4o
                  extra_headers: {Authorization: "Bearer %1$s\\nX: y"}
              - model_name: odd-key
                litellm_params: {model: openai/gpt-4o, azure_client_secret: %1$s, api_key: [%1$s]}
              - model_name: %1$s
                litellm_params: {model: openai/gpt-4o, my_token: %2$s}
            router_settings:
              redis_password: %1$s
              timeout: os.environ/SECRET_ENV
            """
                .formatted(FILE_KEY, ENV_KEY, MASTER),
            Map.of("SECRET_ENV", ENV_KEY));

    assertThat(config.errors()).isNotEmpty();
    assertThat(config.warnings()).isNotEmpty();
    for (String message : messages(config)) {
      assertThat(message).doesNotContain(FILE_KEY, ENV_KEY, MASTER, "FILEKEY", "ENVKEY");
    }
  }

  @Test
  void deploymentsPrintKeysRedactedAndIdsHashThemAway() {
    GatewayConfig config =
        load(
            "model_list: [{model_name: m, litellm_params: {model: gpt-4o, api_key: %s}}]"
                .formatted(FILE_KEY));

    Deployment deployment = config.deployments().get(0);
    assertThat(deployment.toString()).doesNotContain(FILE_KEY).contains("[redacted]");
    assertThat(deployment.id()).doesNotContain("FILEKEY").matches("[0-9a-f]{16}");
    assertThat(deployment.defaultParams()).isEmpty();
  }

  @Test
  void aYamlSyntaxErrorOnASecretLineGivesThePositionButNotTheLine() {
    String yaml =
        """
        model_list:
          - model_name: m
            litellm_params:
              api_key: "%s
              model: gpt-4o
            : broken
        """
            .formatted(FILE_KEY);

    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config.yaml: not valid YAML at line")
        .hasMessageNotContaining("FILEKEY");
  }
}
