package io.feathergate.core;

import java.net.URI;

/** How a deployment is named where users see it: metrics, {@code /health}, {@code /model/info}. */
public final class DeploymentNames {
  private DeploymentNames() {}

  /**
   * Matches a {@code model_name} pattern with one {@code *} against a requested name; returns what
   * the star stood for, or null when it does not match.
   */
  public static String matchWildcard(String pattern, String name) {
    int star = pattern.indexOf('*');
    String prefix = pattern.substring(0, star);
    String suffix = pattern.substring(star + 1);
    if (name.length() < prefix.length() + suffix.length()
        || !name.startsWith(prefix)
        || !name.endsWith(suffix)) {
      return null;
    }
    return name.substring(prefix.length(), name.length() - suffix.length());
  }

  /** {@code litellm_model_name}: the {@code litellm_params.model} of the config entry. */
  public static String litellmModelName(Deployment deployment) {
    return deployment.provider() + "/" + deployment.upstreamModel();
  }

  /**
   * The {@code api_base} without the user info, query or fragment that a URL might carry a
   * credential in; null when the provider's default is used.
   */
  public static String apiBase(Deployment deployment) {
    URI base = deployment.apiBase();
    if (base == null || base.getHost() == null) {
      return null;
    }
    return base.getScheme()
        + "://"
        + base.getHost()
        + (base.getPort() >= 0 ? ":" + base.getPort() : "")
        + (base.getRawPath() == null ? "" : base.getRawPath());
  }
}
