package io.feathergate.api;

import io.feathergate.core.ChatCompletionService;
import io.feathergate.core.DeploymentDirectory;
import io.feathergate.core.DeploymentHealth;
import io.feathergate.core.GatewayConfig;
import jakarta.servlet.ServletContext;

/**
 * What the HTTP edge needs from the rest of the gateway, published once by the composition root as
 * a servlet context attribute.
 *
 * @param config the configuration in force
 * @param directory the model groups and their deployments
 * @param chat the chat-completion service
 * @param version the gateway's version, for health answers
 * @param health each deployment's state, for {@code /health}
 * @param liveFeed the finished requests, for {@code /admin/events}
 */
public record ApiServices(
    GatewayConfig config,
    DeploymentDirectory directory,
    ChatCompletionService chat,
    String version,
    DeploymentHealth health,
    LiveFeed liveFeed) {

  public static final String ATTRIBUTE = ApiServices.class.getName();

  /** The services of this web application, or null when the gateway failed to start. */
  public static ApiServices of(ServletContext context) {
    return (ApiServices) context.getAttribute(ATTRIBUTE);
  }
}
