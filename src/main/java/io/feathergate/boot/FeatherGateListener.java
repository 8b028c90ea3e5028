package io.feathergate.boot;

import io.feathergate.api.ApiServices;
import io.feathergate.config.ConfigException;
import io.feathergate.config.ConfigLoader;
import io.feathergate.core.ChatCompletionService;
import io.feathergate.core.DeploymentDirectory;
import io.feathergate.core.GatewayConfig;
import io.feathergate.core.ProviderRegistry;
import io.feathergate.provider.anthropic.AnthropicAdapter;
import io.feathergate.provider.gemini.GeminiAdapter;
import io.feathergate.provider.openai.OpenAiAdapter;
import io.feathergate.transport.HttpClientUpstream;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The composition root: reads the config, builds the transport, providers and services, publishes
 * them to the HTTP edge, and closes them when the application is undeployed. Registered in {@code
 * web.xml}, so every container and the standalone launcher start the gateway the same way.
 */
public final class FeatherGateListener implements ServletContextListener {
  private static final Logger LOG = Logger.getLogger("io.feathergate");

  /** Set by the standalone launcher to the address it binds, for the open-gateway warning. */
  public static final String BIND_HOST_PARAMETER = "feathergate.bindHost";

  private HttpClientUpstream upstream;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    String version = Version.current();
    try {
      ProviderRegistry providers =
          new ProviderRegistry(
              Map.of(
                  "openai", new OpenAiAdapter(),
                  "anthropic", new AnthropicAdapter(),
                  "gemini", new GeminiAdapter()));
      GatewayConfig config = loadConfig(context, providers);
      report(config);
      JvmMetricsOnce.register();
      upstream = new HttpClientUpstream(HttpClientUpstream.Options.defaults());
      DeploymentDirectory directory = new DeploymentDirectory(config.deployments());
      ChatCompletionService chat =
          new ChatCompletionService(
              directory, providers, upstream, config.settings(), Clock.systemUTC());
      context.setAttribute(
          ApiServices.ATTRIBUTE, new ApiServices(config, directory, chat, version));
      warnIfOpen(config, context.getInitParameter(BIND_HOST_PARAMETER));
      LOG.info(
          () ->
              "FeatherGate "
                  + version
                  + " ready, model groups "
                  + directory.modelGroups()
                  + " from "
                  + config.source());
    } catch (ConfigException e) {
      // the probes and every route report the failure; the container keeps running
      LOG.severe("FeatherGate could not start: " + e.getMessage());
      closeUpstream();
    }
  }

  private static GatewayConfig loadConfig(ServletContext context, ProviderRegistry providers) {
    ConfigLoader loader = new ConfigLoader(System.getenv(), providers.providers());
    ConfigLocator.Location location =
        ConfigLocator.locate(
            System::getProperty, System.getenv(), context, ConfigLocator::lookupJndi);
    if (location == null) {
      LOG.info("No config file given: using the built-in default");
      return loader.loadDefault();
    }
    LOG.info(() -> "Config " + location.path() + " (from " + location.origin() + ")");
    return loader.load(Path.of(location.path()));
  }

  private static void report(GatewayConfig config) {
    config.warnings().forEach(LOG::warning);
    config.errors().forEach(LOG::severe);
    config.deployments().stream()
        .filter(d -> d.unavailableReason() != null)
        .forEach(
            d ->
                LOG.severe(
                    "Deployment "
                        + d.id()
                        + " of model group "
                        + d.modelGroup()
                        + " will fail its requests: "
                        + d.unavailableReason()));
  }

  private static void warnIfOpen(GatewayConfig config, String bindHost) {
    if (config.settings().authRequired() || bindHost == null) {
      return;
    }
    try {
      InetAddress address = InetAddress.getByName(bindHost);
      if (!address.isLoopbackAddress()) {
        LOG.warning(
            "FeatherGate is listening on "
                + bindHost
                + " with no master_key: anyone who can reach it can use every configured model."
                + " Set general_settings.master_key (or LITELLM_MASTER_KEY).");
      }
    } catch (UnknownHostException e) {
      LOG.log(Level.WARNING, "Cannot resolve bind address {0}", bindHost);
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    event.getServletContext().removeAttribute(ApiServices.ATTRIBUTE);
    closeUpstream();
  }

  private void closeUpstream() {
    if (upstream != null) {
      upstream.close();
      upstream = null;
    }
  }
}
