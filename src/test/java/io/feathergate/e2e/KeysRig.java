package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A gateway with virtual keys, and the calls the key tests make to it. */
abstract class KeysRig {
  static final String MASTER = "sk-master-of-keys";
  static final ObjectMapper JSON = new ObjectMapper();

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  GatewayServer gateway;
  Path dataDir;

  /** The database URL the gateway under test uses. */
  String databaseUrl() throws Exception {
    if (dataDir == null) {
      dataDir = Files.createTempDirectory("feathergate-keys-");
    }
    return "jdbc:h2:file:" + dataDir.resolve("keys");
  }

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
          - model_name: other
            litellm_params:
              model: openai/other
              mock_response: "other"
        litellm_settings:
          callbacks: ["prometheus"]
        general_settings:
          master_key: %s
          database_url: "%s"
          proxy_batch_write_at: 0.2
        """
        .formatted(MASTER, databaseUrl());
  }

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayServer.start(config());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  HttpResponse<String> post(String path, String key, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Authorization", "Bearer " + key)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode generate(String body) throws Exception {
    HttpResponse<String> made = post("/key/generate", MASTER, body);
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    return JSON.readTree(made.body());
  }

  HttpResponse<String> chat(String key, String model) throws Exception {
    return post(
        "/v1/chat/completions",
        key,
        "{\"model\":\""
            + model
            + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}]}");
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  JsonNode json(HttpResponse<String> answer) throws Exception {
    return JSON.readTree(answer.body());
  }
}
