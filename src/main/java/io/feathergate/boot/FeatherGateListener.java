package io.feathergate.boot;

import io.feathergate.api.ApiServices;
import io.feathergate.api.LiveFeed;
import io.feathergate.api.MemoryGuard;
import io.feathergate.api.RequestLog;
import io.feathergate.config.ConfigException;
import io.feathergate.config.ConfigLoader;
import io.feathergate.core.CacheSettings;
import io.feathergate.core.GatewayConfig;
import io.feathergate.core.RedisSettings;
import io.feathergate.core.cache.CacheStore;
import io.feathergate.core.cache.LayeredCacheStore;
import io.feathergate.core.cache.LocalCacheStore;
import io.feathergate.core.cache.ResponseCache;
import io.feathergate.core.errors.SecretRedactor;
import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.events.GatewayListeners;
import io.feathergate.core.exchange.ChatCompletionService;
import io.feathergate.core.responses.InMemoryResponseStore;
import io.feathergate.core.routing.DeploymentCounters;
import io.feathergate.core.routing.DeploymentDirectory;
import io.feathergate.core.routing.DeploymentHealth;
import io.feathergate.core.routing.HealthProbe;
import io.feathergate.core.routing.LocalDeploymentCounters;
import io.feathergate.core.routing.Router;
import io.feathergate.core.spi.ProviderRegistry;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.UpstreamClient;
import io.feathergate.credentials.CredentialedUpstream;
import io.feathergate.metrics.PrometheusMetrics;
import io.feathergate.provider.anthropic.AnthropicAdapter;
import io.feathergate.provider.azure.AzureAdapter;
import io.feathergate.provider.bedrock.BedrockAdapter;
import io.feathergate.provider.gemini.GeminiAdapter;
import io.feathergate.provider.ollama.OllamaAdapter;
import io.feathergate.provider.openai.OpenAiAdapter;
import io.feathergate.provider.vertex.VertexAdapter;
import io.feathergate.redis.SharedState;
import io.feathergate.transport.HttpClientUpstream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  private static final long START_WAIT_SECONDS = 60;

  private UpstreamClient upstream;
  private PrometheusMetrics metrics;
  private LiveFeed liveFeed;
  private RequestLog requestLog;
  private ScheduledExecutorService prober;
  private ScheduledThreadPoolExecutor bodyTimer;
  private KeyServices keyServices;
  private SharedState sharedState;
  private MemoryGuard memoryGuard;

  private CompletableFuture<ApiServices> starting;

  /**
   * Starts the gateway on a thread of its own and returns: the container meanwhile initialises the
   * servlets, Jersey first, on its own thread, and on two cores the two start-ups take about as
   * long as the longer one. Requests and the chat servlet's initialisation wait for the result.
   */
  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    CompletableFuture<ApiServices> start = new CompletableFuture<>();
    starting = start;
    context.setAttribute(ApiServices.STARTING, start);
    ClassLoader webappLoader = Thread.currentThread().getContextClassLoader();
    Thread starter =
        new Thread(
            () -> {
              try {
                start.complete(start(context));
              } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "FeatherGate failed to start", e);
                closeAll();
                start.completeExceptionally(e);
              }
            },
            "feathergate-start");
    starter.setContextClassLoader(webappLoader);
    starter.setDaemon(true);
    starter.start();
  }

  /** Builds and publishes the services; null when the configuration cannot be used. */
  private ApiServices start(ServletContext context) {
    String version = Version.current();
    try {
      // one adapter per protocol; the provider table says which provider speaks which
      ProviderRegistry providers =
          ProviderRegistry.of(
              ProviderTable.ROWS,
              Map.of(
                  "openai", OpenAiAdapter::new,
                  "anthropic", AnthropicAdapter::new,
                  "gemini", GeminiAdapter::new,
                  "azure", AzureAdapter::new,
                  "bedrock", BedrockAdapter::new,
                  "vertex", VertexAdapter::new,
                  "ollama", OllamaAdapter::new));
      GatewayConfig config = loadConfig(context, providers);
      report(config);
      JvmMetricsOnce.register();
      // tokens and signatures are applied between the exchange and the transport
      upstream =
          new CredentialedUpstream(
              new HttpClientUpstream(HttpClientUpstream.Options.defaults()), Clock.systemUTC());
      DeploymentDirectory directory =
          new DeploymentDirectory(config.deployments(), config.router().aliases());
      // with a Redis, the replicas share their counters, cooldowns and key changes through it
      RedisSettings redis = config.settings().redis();
      sharedState = redis == null ? null : SharedState.start(redis, Clock.systemUTC());
      DeploymentCounters counters =
          sharedState != null ? sharedState.counters() : new LocalDeploymentCounters();
      DeploymentHealth health =
          new DeploymentHealth(config.deployments(), Clock.systemUTC(), counters);
      liveFeed = new LiveFeed(config.settings().liveFeedMaxSubscribers());
      List<GatewayListener> listeners = new ArrayList<>();
      listeners.add(health);
      metrics = registerMetrics(config, health);
      if (metrics != null) {
        listeners.add(metrics);
      }
      requestLog = new RequestLog(liveFeed);
      listeners.add(requestLog);
      // the router tells the others when it cools a deployment down, and hears every outcome
      Router router =
          new Router(
              directory,
              config.router(),
              counters,
              Clock.systemUTC(),
              ThreadLocalRandom::current,
              GatewayListeners.of(List.copyOf(listeners)));
      listeners.add(0, router);
      bodyTimer = timer();
      keyServices =
          KeyServices.start(
              config.settings(), config.deployments(), counters, true, Clock.systemUTC());
      if (sharedState != null && keyServices.directory() != null) {
        sharedState.shareKeyChanges(keyServices.directory());
        keyServices.ledger().shareSpendThrough(sharedState.spend());
      }
      if (metrics != null && sharedState != null) {
        metrics.registerRedis(sharedState);
      }
      if (metrics != null && keyServices.management != null) {
        metrics.registerKeyDatabase(
            keyServices.management.database(), keyServices.management.ledger());
      }
      ResponseCache responseCache = responseCache(config.settings().cache());
      memoryGuard = MemoryGuard.start();
      ChatCompletionService chat =
          new ChatCompletionService(
              router,
              providers,
              upstream,
              config.settings(),
              Clock.systemUTC(),
              GatewayListeners.of(listeners),
              SecretRedactor.of(config),
              bodyTimer,
              keyServices.admission,
              responseCache);
      startProbes(config, providers, health);
      ApiServices services =
          new ApiServices(
              config,
              directory,
              chat,
              version,
              health,
              liveFeed,
              bodyTimer,
              keyServices.authenticator,
              new InMemoryResponseStore(),
              keyServices.management,
              sharedState,
              responseCache,
              memoryGuard);
      context.setAttribute(ApiServices.ATTRIBUTE, services);
      warnIfOpen(config, context.getInitParameter(BIND_HOST_PARAMETER));
      LOG.info(
          () ->
              "FeatherGate "
                  + version
                  + " ready, model groups "
                  + directory.modelGroups()
                  + " from "
                  + config.source());
      return services;
    } catch (ConfigException e) {
      // the probes and every route report the failure; the container keeps running
      LOG.severe("FeatherGate could not start: " + e.getMessage());
      closeAll();
      return null;
    }
  }

  /**
   * LiteLLM's request metrics, when {@code litellm_settings.callbacks} names {@code prometheus} as
   * LiteLLM requires. The registry is shared by every web application of this class loader: a
   * second gateway there (an embedded test, a container with a shared loader) keeps its metrics off
   * rather than failing to start.
   */
  private static PrometheusMetrics registerMetrics(GatewayConfig config, DeploymentHealth health) {
    if (!config.settings().prometheusMetrics()) {
      return null;
    }
    try {
      return new PrometheusMetrics(
          PrometheusRegistry.defaultRegistry, config.deployments(), config.settings(), health);
    } catch (IllegalArgumentException e) {
      LOG.warning("LiteLLM metrics are already registered in this class loader: " + e.getMessage());
      return null;
    }
  }

  /** {@code background_health_checks}: a round of probes every {@code health_check_interval}. */
  private void startProbes(
      GatewayConfig config, ProviderRegistry providers, DeploymentHealth health) {
    if (!config.settings().backgroundHealthChecks()) {
      return;
    }
    HealthProbe probe = new HealthProbe(config.deployments(), providers, upstream, health);
    prober =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "feathergate-health-checks");
              thread.setDaemon(true);
              return thread;
            });
    long intervalMillis = Math.max(1, config.settings().healthCheckInterval().toMillis());
    // runs until shutdownNow() on undeploy; nobody waits for it
    ScheduledFuture<?> unused =
        prober.scheduleWithFixedDelay(probe::probeAll, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * One thread for request-body timeouts and retries after a backoff, started only when first
   * needed (a whole small body and a first attempt that succeeds never need it), with cancelled
   * timers dropped at once: nearly every body ends long before its timeout.
   */
  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "feathergate-timers");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
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
    // an undeploy right after deploy: let the start finish, so that what it started gets closed
    try {
      starting.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // reported by the start itself; close whatever it got to
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    event.getServletContext().removeAttribute(ApiServices.ATTRIBUTE);
    event.getServletContext().removeAttribute(ApiServices.STARTING);
    closeAll();
  }

  /** The response cache, in memory or in the shared Redis (with a copy in memory); or null. */
  private ResponseCache responseCache(CacheSettings settings) {
    if (!settings.on()) {
      return null;
    }
    CacheStore store;
    if (settings.shared() && sharedState != null) {
      store =
          settings.inMemoryTtl() == null
              ? sharedState.cache()
              : new LayeredCacheStore(
                  new LocalCacheStore(settings.maxMemoryBytes()),
                  settings.inMemoryTtl(),
                  sharedState.cache());
    } else {
      store = new LocalCacheStore(settings.maxMemoryBytes());
    }
    LOG.info(
        () ->
            "Response cache on: "
                + store.type()
                + ", entries kept "
                + settings.ttl().toSeconds()
                + " s"
                + (settings.defaultOff() ? ", for requests that ask (mode: default_off)" : ""));
    return new ResponseCache(settings, store, System::currentTimeMillis);
  }

  private void closeAll() {
    if (memoryGuard != null) {
      memoryGuard.close(); // its listener is on the JVM's collectors, which outlive this webapp
      memoryGuard = null;
    }
    if (keyServices != null) {
      keyServices.close();
      keyServices = null;
    }
    if (sharedState != null) {
      sharedState.close(); // after the keys: their last counts are ended in Redis too
      sharedState = null;
    }
    if (prober != null) {
      prober.shutdownNow();
      try {
        // a container checks for leftover threads right after undeploy
        prober.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      prober = null;
    }
    if (bodyTimer != null) {
      bodyTimer.shutdownNow();
      try {
        bodyTimer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      bodyTimer = null;
    }
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
    if (requestLog != null) {
      requestLog.close(); // before the feed: it publishes to it
      requestLog = null;
    }
    if (liveFeed != null) {
      liveFeed.close();
      liveFeed = null;
    }
    if (upstream != null) {
      upstream.close();
      upstream = null;
    }
  }
}
