package io.feathergate.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.config.EnvResolver.UnsetVariable;
import io.feathergate.core.Secret;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider settings of one deployment: each {@code litellm_params} key its provider's row names
 * ({@code api_version}, {@code tenant_id}, {@code aws_region_name}, {@code vertex_project}, ...),
 * from the entry, else from the row's environment variables. Credentials among them are kept as
 * {@link Secret}s, so that they are redacted wherever they might show. A Vertex service account
 * ({@code vertex_credentials}: a JSON string or a file path) is read and checked here, at load,
 * into the fields the token exchange needs.
 */
final class ProviderSettings {
  /** Where a service account's private key is kept among a deployment's secrets. */
  static final String VERTEX_PRIVATE_KEY = "vertex_private_key";

  /** Settings that are credentials. */
  static final Set<String> SECRET_KEYS =
      Set.of(
          "client_secret",
          "azure_ad_token",
          "azure_password",
          "aws_secret_access_key",
          "aws_session_token",
          "aws_web_identity_token",
          "vertex_credentials",
          VERTEX_PRIVATE_KEY);

  /** LiteLLM's other names for the same settings. */
  static final Map<String, String> ALIASES =
      Map.of(
          "vertex_ai_project", "vertex_project",
          "vertex_ai_location", "vertex_location",
          "vertex_ai_credentials", "vertex_credentials");

  /** The settings and secrets of one deployment. */
  record Read(Map<String, String> settings, Map<String, Secret> secrets) {}

  private ProviderSettings() {}

  static Read read(
      ProviderSpec row,
      Map<String, Object> params,
      String paramsPath,
      List<UnsetVariable> unset,
      ProviderDefaults defaults) {
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, Secret> secrets = new LinkedHashMap<>();
    if (row == null) {
      return new Read(settings, secrets);
    }
    for (String key : row.settingVariables().keySet()) {
      String used = key;
      if (!params.containsKey(key)) {
        for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
          if (alias.getValue().equals(key) && params.containsKey(alias.getKey())) {
            used = alias.getKey();
          }
        }
      }
      String path = YamlPath.child(paramsPath, used);
      Object raw = params.get(used);
      String value;
      if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
        value = Json.text(Json.MAPPER.valueToTree(raw)); // a service account written as YAML
      } else {
        value = io.feathergate.config.Values.scalarText(raw, path);
      }
      if (value == null || value.isBlank()) {
        boolean unsetHere = unset.stream().anyMatch(v -> v.path().equals(path));
        value = unsetHere ? null : defaults.settings().get(key);
      }
      if (value == null || value.isBlank()) {
        continue;
      }
      value = value.strip();
      if (key.equals("vertex_credentials")) {
        serviceAccount(value, path, settings, secrets);
      } else if (SECRET_KEYS.contains(key)) {
        secrets.put(key, Secret.ofNullable(value));
      } else {
        settings.put(key, value);
      }
    }
    return new Read(settings, secrets);
  }

  /**
   * A service-account JSON, given as the JSON itself or as the path of its file: its email, key id,
   * private key and token endpoint, and its project for deployments that name none.
   */
  private static void serviceAccount(
      String value, String path, Map<String, String> settings, Map<String, Secret> secrets) {
    String json = value;
    if (!value.startsWith("{")) {
      try {
        json = Files.readString(Path.of(value), StandardCharsets.UTF_8);
      } catch (IOException | InvalidPathException e) {
        throw new InvalidValueException(
            path, "is neither service-account JSON nor a readable file: " + e.getMessage());
      }
    }
    JsonNode account = Json.readOrNull(json.getBytes(StandardCharsets.UTF_8));
    if (account == null || !account.isObject()) {
      throw new InvalidValueException(path, "is not a JSON object");
    }
    String type = account.path("type").asText("");
    if (!type.equals("service_account")) {
      throw new InvalidValueException(
          path,
          "holds credentials of type '"
              + type
              + "': only service_account credentials are supported yet");
    }
    for (String field : List.of("client_email", "private_key")) {
      if (!account.path(field).isTextual() || account.path(field).asText().isBlank()) {
        throw new InvalidValueException(path, "has no " + field);
      }
    }
    settings.put("vertex_client_email", account.get("client_email").asText());
    settings.put(
        "vertex_token_uri",
        account.path("token_uri").asText("https://oauth2.googleapis.com/token"));
    if (account.path("private_key_id").isTextual()) {
      settings.put("vertex_private_key_id", account.get("private_key_id").asText());
    }
    if (account.path("project_id").isTextual()) {
      settings.put("vertex_credentials_project", account.get("project_id").asText());
    }
    secrets.put(VERTEX_PRIVATE_KEY, Secret.ofNullable(account.get("private_key").asText()));
  }
}
