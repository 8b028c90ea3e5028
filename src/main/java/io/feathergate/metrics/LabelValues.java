package io.feathergate.metrics;

import io.feathergate.core.Deployment;
import io.feathergate.core.DeploymentNames;
import io.feathergate.core.GatewaySettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Label values as LiteLLM writes them, from bounded sets only: what the config says, never what a
 * client sent. A value FeatherGate cannot know is {@code "None"}, as in LiteLLM.
 */
final class LabelValues {
  static final String NONE = "None";

  /** What LiteLLM shows for a request made with the master key. */
  static final String MASTER_KEY_USER = "default_user_id";

  private LabelValues() {}

  /** {@code hashed_api_key}: sha256 hex of the master key, or None for an open gateway. */
  static String hashedApiKey(GatewaySettings settings) {
    if (settings.masterKey() == null) {
      return NONE;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(settings.masterKey().reveal().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  static String user(GatewaySettings settings) {
    return settings.masterKey() == null ? NONE : MASTER_KEY_USER;
  }

  static String litellmModelName(Deployment deployment) {
    return DeploymentNames.litellmModelName(deployment);
  }

  static String apiBase(Deployment deployment) {
    String base = DeploymentNames.apiBase(deployment);
    return base == null ? NONE : base;
  }

  /**
   * {@code exception_class} as LiteLLM names it: the provider's name and the OpenAI SDK's error
   * class for the status ({@code Openai.RateLimitError}); a gateway-made error has no provider.
   */
  static String exceptionClass(String provider, int status) {
    String name =
        switch (status) {
          case 400 -> "BadRequestError";
          case 401 -> "AuthenticationError";
          case 403 -> "PermissionDeniedError";
          case 404 -> "NotFoundError";
          case 408, 504 -> "Timeout";
          case 413 -> "RequestTooLargeError";
          case 422 -> "UnprocessableEntityError";
          case 429 -> "RateLimitError";
          case 499 -> "ClientDisconnectError";
          case 502 -> "APIConnectionError";
          case 503 -> "ServiceUnavailableError";
          default -> status >= 500 ? "InternalServerError" : "APIError";
        };
    if (provider == null || status == 499) {
      return name;
    }
    return provider.substring(0, 1).toUpperCase(Locale.ROOT) + provider.substring(1) + "." + name;
  }
}
