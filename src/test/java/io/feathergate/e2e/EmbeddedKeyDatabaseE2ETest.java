package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The default database: embedded H2 in the data directory, made only when the first key is, never
 * for the master key's own traffic; kept across restarts.
 */
class EmbeddedKeyDatabaseE2ETest extends KeysRig {
  private String previousDataDir;
  private Path embeddedDir;

  @Override
  String databaseUrl() {
    return null;
  }

  @Override
  String config() throws Exception {
    return """
        model_list:
          - model_name: cheap
            litellm_params:
              model: openai/cheap
              mock_response: "hello there"
            model_info:
              input_cost_per_token: 0.001
              output_cost_per_token: 0.002
        general_settings:
          master_key: %s
          proxy_batch_write_at: 0.2
        """
        .formatted(MASTER);
  }

  @Override
  @BeforeEach
  void start() throws Exception {
    embeddedDir = Files.createTempDirectory("feathergate-embedded-").resolve("data");
    previousDataDir = System.setProperty("feathergate.data.dir", embeddedDir.toString());
    super.start();
  }

  @Override
  @AfterEach
  void stop() throws Exception {
    super.stop();
    if (previousDataDir == null) {
      System.clearProperty("feathergate.data.dir");
    } else {
      System.setProperty("feathergate.data.dir", previousDataDir);
    }
  }

  @Test
  void theMasterKeysTrafficMakesNoDatabaseTheFirstKeyDoesAndARestartKeepsIt() throws Exception {
    assertThat(chat(MASTER, "cheap").statusCode()).isEqualTo(200);
    // reading the spend logs writes what is pending first: still nothing to write into
    assertThat(json(get("/spend/logs", MASTER))).isEmpty();
    assertThat(embeddedDir).doesNotExist();

    String key = generate("{\"max_budget\":10}").get("key").asText();
    assertThat(embeddedDir.resolve("feathergate.mv.db")).exists();
    assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);
    JsonNode logs = json(get("/spend/logs?api_key=" + encode(key), MASTER));
    assertThat(logs).hasSize(1);

    gateway.close();
    gateway = GatewayServer.start(config());
    assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);
    assertThat(json(get("/spend/logs?api_key=" + encode(key), MASTER))).hasSize(2);
  }
}
