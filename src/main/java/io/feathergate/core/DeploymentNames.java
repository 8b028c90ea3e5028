package io.feathergate.core;

import java.net.URI;

/** How a deployment is named where users see it: metrics, {@code /health}, {@code /model/info}. */
public final class DeploymentNames {
  private DeploymentNames() {}

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
