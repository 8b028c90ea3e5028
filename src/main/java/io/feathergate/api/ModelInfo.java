package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.DeploymentNames;
import io.feathergate.wire.Json;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One {@code /model/info} entry: {@code model_name}, {@code litellm_params} and {@code model_info},
 * as LiteLLM shows them, with every secret removed: the API key is never written, header values are
 * never written (a header may carry a key), and a default parameter whose name looks like a
 * credential is left out.
 */
final class ModelInfo {
  /** Parameter names that may hold a credential; {@code max_tokens} and the like do not match. */
  private static final Pattern CREDENTIAL =
      Pattern.compile(
          "key|secret|password|passwd|credential|token_|_token$|^token$|auth|session|signature"
              + "|private|cert");

  private ModelInfo() {}

  static ObjectNode of(Deployment deployment) {
    ObjectNode entry = Json.MAPPER.createObjectNode();
    entry.put("model_name", deployment.modelGroup());
    ObjectNode params = entry.putObject("litellm_params");
    params.put("model", DeploymentNames.litellmModelName(deployment));
    params.put("api_base", DeploymentNames.apiBase(deployment));
    params.put("custom_llm_provider", deployment.provider());
    params.put("timeout", deployment.timeout().toMillis() / 1000.0);
    params.put("stream_timeout", deployment.streamTimeout().toMillis() / 1000.0);
    params.put("max_retries", deployment.maxRetries());
    params.put("drop_params", deployment.dropParams());
    if (deployment.mockResponse() != null) {
      params.put("mock_response", deployment.mockResponse());
    }
    // provider settings (api_version, aws_region_name, vertex_project, ...), never credentials nor
    // what the gateway read out of a service account
    for (Map.Entry<String, String> setting :
        new java.util.TreeMap<>(deployment.settings()).entrySet()) {
      String name = setting.getKey();
      if (!looksLikeCredential(name)
          && !name.startsWith("vertex_client_")
          && !name.startsWith("vertex_token_")
          && !name.startsWith("vertex_credentials")) {
        params.put(name, setting.getValue());
      }
    }
    for (Map.Entry<String, JsonNode> param : deployment.defaultParams().entrySet()) {
      if (!looksLikeCredential(param.getKey())) {
        params.set(param.getKey(), param.getValue().deepCopy());
      }
    }
    ObjectNode info = entry.putObject("model_info");
    info.put("id", deployment.id());
    info.put("db_model", false);
    info.put("litellm_provider", deployment.provider());
    info.put("mode", "chat");
    if (deployment.unavailableReason() != null) {
      info.put("unavailable_reason", deployment.unavailableReason());
    }
    return entry;
  }

  static boolean looksLikeCredential(String name) {
    return CREDENTIAL.matcher(name.toLowerCase(Locale.ROOT)).find();
  }
}
