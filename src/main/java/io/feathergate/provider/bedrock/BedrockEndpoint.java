package io.feathergate.provider.bedrock;

import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a Converse request goes: the runtime endpoint of the region, and the model's path. */
final class BedrockEndpoint {
  /** LiteLLM's region when none is configured. */
  static final String DEFAULT_REGION = "us-west-2";

  private static final Pattern ARN_REGION =
      Pattern.compile("^arn:aws[a-z-]*:bedrock:([a-z0-9-]+):");
  private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9._:/@+=,-]+");

  private BedrockEndpoint() {}

  /** The model id without LiteLLM's route prefixes ({@code converse/}, {@code invoke/}). */
  static String modelId(String upstreamModel) {
    String id = upstreamModel;
    for (String prefix : new String[] {"converse/", "invoke/"}) {
      if (id.startsWith(prefix)) {
        id = id.substring(prefix.length());
      }
    }
    if (id.isEmpty() || !MODEL_ID.matcher(id).matches() || id.contains("..")) {
      throw GatewayException.badRequest(
          "Invalid Bedrock model id '" + upstreamModel + "'.", "model");
    }
    return id;
  }

  /** {@code aws_region_name}, else the region of an ARN model id, else LiteLLM's default. */
  static String region(Deployment deployment, String modelId) {
    String region = deployment.setting("aws_region_name");
    if (region != null) {
      return region;
    }
    Matcher arn = ARN_REGION.matcher(modelId);
    return arn.find() ? arn.group(1) : DEFAULT_REGION;
  }

  /**
   * {@code {endpoint}/model/{modelId}/converse} or {@code /converse-stream}: the endpoint is {@code
   * aws_bedrock_runtime_endpoint}, else {@code api_base}, else the region's public one. The id is
   * one path segment, {@code :} and an ARN's {@code /} percent-encoded.
   */
  static URI converseUri(Deployment deployment, String modelId, String region, boolean stream) {
    return uri(deployment, modelId, region, stream ? "converse-stream" : "converse");
  }

  /** {@code {endpoint}/model/{modelId}/{operation}}, the endpoint as for Converse. */
  static URI uri(Deployment deployment, String modelId, String region, String operation) {
    String endpoint = deployment.setting("aws_bedrock_runtime_endpoint");
    if (endpoint == null && deployment.apiBase() != null) {
      endpoint = deployment.apiBase().toString();
    }
    if (endpoint == null) {
      endpoint = "https://bedrock-runtime." + region + ".amazonaws.com";
    }
    while (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    return URI.create(endpoint + "/model/" + encode(modelId) + "/" + operation);
  }

  /** Every byte but RFC 3986's unreserved characters as {@code %XX}. */
  static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
