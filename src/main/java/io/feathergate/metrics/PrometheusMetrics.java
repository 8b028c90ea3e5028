package io.feathergate.metrics;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.RedisStatus;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.keys.SpendLedger;
import io.feathergate.core.keys.StoreHealth;
import io.feathergate.core.routing.DeploymentHealth;
import io.feathergate.core.spi.TokenUsage;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LiteLLM's Prometheus metrics ({@code litellm/integrations/prometheus.py}), same names, label
 * names and units, fed by the gateway's events. Label values come only from the config, so no
 * client can create a series; each deployment's series are resolved once at startup.
 *
 * <p>Every metric is built without exemplars, through {@link #counter}, {@link #histogram} and
 * {@link #gauge}. An exemplar sampler rate-limits itself with a task on the client library's static
 * scheduler ({@code io.prometheus.metrics.core.util.Scheduler}), whose thread {@code
 * prometheus-metrics-scheduler-0} starts with the first sample and has no way to be stopped: in a
 * container it would outlive the undeployed WAR and keep its class loader. The gateway has no
 * tracer to take exemplars from anyway.
 */
public final class PrometheusMetrics implements GatewayListener, AutoCloseable {
  /** LiteLLM's latency buckets, in seconds. */
  static final double[] LATENCY_BUCKETS = {
    0.005, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5,
    6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 15.0, 20.0, 25.0, 30.0, 60.0, 120.0, 180.0, 240.0,
    300.0
  };

  private static final String NONE = LabelValues.NONE;
  private static final double NANOS_PER_SECOND = 1e9;

  private final PrometheusRegistry registry;
  private final List<Collector> registered = new ArrayList<>();
  private final Map<String, DeploymentSeries> byDeploymentId = new HashMap<>();

  /** Series of callers other than the usual one, by caller, then by deployment id. */
  private final Map<String, Map<String, DeploymentSeries>> byCaller = new ConcurrentHashMap<>();

  private final DeploymentSeries noDeployment;
  private final String hashedKey;
  private final String user;

  final Counter totalRequests;
  final Counter failedRequests;
  final Histogram totalLatency;
  final Histogram apiLatency;
  final Histogram timeToFirstToken;
  final Histogram overheadLatency;
  final Counter inputTokens;
  final Counter outputTokens;
  final Counter totalTokens;
  final Counter deploymentSuccess;
  final Counter deploymentFailure;
  final Counter deploymentTotal;
  final Gauge inFlight;
  private Counter cooledDown;
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private Counter successfulFallbacks;
  private Counter failedFallbacks;

  /** Registers the metrics in {@code registry}; {@link #close()} removes them again. */
  public PrometheusMetrics(
      PrometheusRegistry registry,
      List<Deployment> deployments,
      GatewaySettings settings,
      DeploymentHealth health) {
    this.registry = registry;
    this.hashedKey = LabelValues.hashedApiKey(settings);
    this.user = LabelValues.user(settings);
    cacheHits = counter("litellm_cache_hits_metric", "Total number of LiteLLM cache hits", "model");
    cacheMisses =
        counter("litellm_cache_misses_metric", "Total number of LiteLLM cache misses", "model");
    totalRequests =
        counter(
            "litellm_proxy_total_requests_metric",
            "Total number of requests made to the proxy server",
            "end_user",
            "hashed_api_key",
            "api_key_alias",
            "requested_model",
            "team",
            "team_alias",
            "user",
            "status_code",
            "route");
    failedRequests =
        counter(
            "litellm_proxy_failed_requests_metric",
            "Total number of failed responses from proxy",
            "end_user",
            "hashed_api_key",
            "api_key_alias",
            "requested_model",
            "team",
            "team_alias",
            "user",
            "exception_status",
            "exception_class",
            "route");
    totalLatency =
        histogram(
            "litellm_request_total_latency_metric",
            "Total latency (seconds) for a request to LiteLLM",
            "end_user",
            "hashed_api_key",
            "api_key_alias",
            "requested_model",
            "team",
            "team_alias",
            "user",
            "model");
    apiLatency =
        histogram(
            "litellm_llm_api_latency_metric",
            "Total latency (seconds) for a models LLM API call",
            "model",
            "hashed_api_key",
            "api_key_alias",
            "team",
            "team_alias",
            "requested_model",
            "end_user",
            "user");
    timeToFirstToken =
        histogram(
            "litellm_llm_api_time_to_first_token_metric",
            "Time to first token for a models LLM API call",
            "model",
            "hashed_api_key",
            "api_key_alias",
            "team",
            "team_alias");
    overheadLatency =
        histogram(
            "litellm_overhead_latency_metric",
            "Latency overhead (seconds) added by LiteLLM processing",
            "model_group",
            "api_provider",
            "api_base",
            "litellm_model_name",
            "hashed_api_key",
            "api_key_alias");
    String[] tokenLabels = {
      "end_user",
      "hashed_api_key",
      "api_key_alias",
      "model",
      "team",
      "team_alias",
      "user",
      "requested_model"
    };
    inputTokens =
        counter(
            "litellm_input_tokens", "Total number of input tokens from LLM requests", tokenLabels);
    outputTokens =
        counter(
            "litellm_output_tokens",
            "Total number of output tokens from LLM requests",
            tokenLabels);
    totalTokens =
        counter(
            "litellm_total_tokens",
            "Total number of input + output tokens from LLM requests",
            tokenLabels);
    String[] deploymentLabels = {
      "requested_model",
      "litellm_model_name",
      "model_id",
      "api_base",
      "api_provider",
      "hashed_api_key",
      "api_key_alias",
      "team",
      "team_alias"
    };
    deploymentSuccess =
        counter(
            "litellm_deployment_success_responses",
            "LLM Deployment Analytics - Total number of successful LLM API calls via litellm",
            deploymentLabels);
    deploymentTotal =
        counter(
            "litellm_deployment_total_requests",
            "LLM Deployment Analytics - Total number of LLM API calls via litellm - success +"
                + " failure",
            deploymentLabels);
    deploymentFailure =
        counter(
            "litellm_deployment_failure_responses",
            "LLM Deployment Analytics - Total number of failed LLM API calls for a specific LLM"
                + " deployment",
            append(deploymentLabels, "exception_status", "exception_class"));
    inFlight =
        gauge(
            "litellm_in_flight_requests",
            "Number of requests currently being processed by this gateway");
    registerDeploymentState(deployments, health);
    registerRouterSeries(deployments);
    for (Deployment deployment : deployments) {
      byDeploymentId.putIfAbsent(deployment.id(), new DeploymentSeries(this, deployment));
    }
    noDeployment = new DeploymentSeries(this, null);
  }

  String hashedKey() {
    return hashedKey;
  }

  String user() {
    return user;
  }

  /** {@code litellm_deployment_state}, read from the health tracker at scrape time. */
  private void registerDeploymentState(List<Deployment> deployments, DeploymentHealth health) {
    register(
        GaugeWithCallback.builder()
            .name("litellm_deployment_state")
            .help(
                "LLM Deployment Analytics - The state of the deployment: 0 = healthy, 1 ="
                    + " partial outage, 2 = complete outage")
            .labelNames("litellm_model_name", "model_id", "api_base", "api_provider")
            .callback(
                callback -> {
                  for (Deployment deployment : distinct(deployments)) {
                    callback.call(
                        health.state(deployment).gaugeValue(),
                        LabelValues.litellmModelName(deployment),
                        deployment.id(),
                        LabelValues.apiBase(deployment),
                        deployment.provider());
                  }
                })
            .build());
  }

  /**
   * Cooldowns and fallbacks, as the router reports them; each series exists from the start at 0 for
   * the dashboards and alerts that query them.
   */
  private void registerRouterSeries(List<Deployment> deployments) {
    cooledDown =
        counter(
            "litellm_deployment_cooled_down",
            "LLM Deployment Analytics - Number of times a deployment has been cooled down by"
                + " LiteLLM load balancing logic",
            "litellm_model_name",
            "model_id",
            "api_base",
            "api_provider",
            "exception_status");
    String[] fallbackLabels = {
      "requested_model",
      "fallback_model",
      "hashed_api_key",
      "api_key_alias",
      "team",
      "team_alias",
      "exception_status",
      "exception_class"
    };
    successfulFallbacks =
        counter(
            "litellm_deployment_successful_fallbacks",
            "LLM Deployment Analytics - Number of successful fallback requests from primary model"
                + " -> fallback model",
            fallbackLabels);
    failedFallbacks =
        counter(
            "litellm_deployment_failed_fallbacks",
            "LLM Deployment Analytics - Number of failed fallback requests from primary model ->"
                + " fallback model",
            fallbackLabels);
    Set<String> groups = new LinkedHashSet<>();
    for (Deployment deployment : distinct(deployments)) {
      cooledDown.initLabelValues(
          LabelValues.litellmModelName(deployment),
          deployment.id(),
          LabelValues.apiBase(deployment),
          deployment.provider(),
          NONE);
      groups.add(deployment.modelGroup());
    }
    for (String group : groups) {
      String[] values = {group, NONE, hashedKey, NONE, NONE, NONE, NONE, NONE};
      successfulFallbacks.initLabelValues(values);
      failedFallbacks.initLabelValues(values);
    }
  }

  /** A request that ended on a fallback group: counted as LiteLLM does, by its outcome. */
  private void countFallback(RequestRecord record) {
    String fallbackGroup = record.modelGroup() == null ? NONE : record.modelGroup();
    String callerKey =
        record.principal() == null || record.principal().keyHash() == null
            ? hashedKey
            : record.principal().keyHash();
    String status = record.failed() ? Integer.toString(record.status()) : NONE;
    String exceptionClass =
        record.failed()
            ? LabelValues.exceptionClass(
                record.deployment() == null ? null : record.deployment().provider(),
                record.status())
            : NONE;
    (record.failed() ? failedFallbacks : successfulFallbacks)
        .labelValues(
            record.primaryModelGroup(),
            fallbackGroup,
            callerKey,
            NONE,
            NONE,
            NONE,
            status,
            exceptionClass)
        .inc();
  }

  private static List<Deployment> distinct(List<Deployment> deployments) {
    Map<String, Deployment> byId = new java.util.LinkedHashMap<>();
    deployments.forEach(d -> byId.putIfAbsent(d.id(), d));
    return List.copyOf(byId.values());
  }

  @Override
  public void requestStarted() {
    inFlight.inc();
  }

  @Override
  public void upstreamAttemptFinished(Deployment deployment, GatewayException failure) {
    DeploymentSeries series = series(deployment);
    if (series.deploymentTotal == null) {
      return; // not a configured deployment: no series of its own
    }
    series.deploymentTotal.inc();
    if (failure == null) {
      series.deploymentSuccess.inc();
    } else {
      deploymentFailure
          .labelValues(
              append(
                  series.deploymentLabels,
                  Integer.toString(failure.status()),
                  LabelValues.exceptionClass(deployment.provider(), failure.status())))
          .inc();
    }
  }

  @Override
  public void deploymentCooledDown(Deployment deployment, int status) {
    cooledDown
        .labelValues(
            LabelValues.litellmModelName(deployment),
            deployment.id(),
            LabelValues.apiBase(deployment),
            deployment.provider(),
            Integer.toString(status))
        .inc();
  }

  @Override
  public void requestFinished(RequestRecord record) {
    inFlight.dec();
    if (record.fallbacks() > 0 && record.primaryModelGroup() != null) {
      countFallback(record);
    }
    countCacheUse(record);
    DeploymentSeries series = series(record.deployment(), record.principal());
    String status = Integer.toString(record.status());
    totalRequests.labelValues(series.requestLabels(status, record.route())).inc();
    if (record.failed()) {
      String provider = record.deployment() == null ? null : record.deployment().provider();
      failedRequests
          .labelValues(
              series.requestLabels(
                  status, LabelValues.exceptionClass(provider, record.status()), record.route()))
          .inc();
    }
    series.totalLatency.observe(record.latencyNanos() / NANOS_PER_SECOND);
    if (record.upstreamNanos() >= 0) {
      series.apiLatency.observe(record.upstreamNanos() / NANOS_PER_SECOND);
      long overhead = Math.max(0, record.latencyNanos() - record.upstreamNanos());
      series.overheadLatency.observe(overhead / NANOS_PER_SECOND);
    }
    if (record.timeToFirstTokenNanos() >= 0) {
      series.timeToFirstToken.observe(record.timeToFirstTokenNanos() / NANOS_PER_SECOND);
    }
    TokenUsage usage = record.usage();
    if (usage != null) {
      series.inputTokens.inc(usage.promptTokens());
      series.outputTokens.inc(usage.completionTokens());
      series.totalTokens.inc(usage.totalTokens());
    }
  }

  /** Hits and misses of the response cache, by the model group asked for. */
  private void countCacheUse(RequestRecord record) {
    if (record.cache() == RequestRecord.CacheUse.NONE) {
      return;
    }
    String group = record.primaryModelGroup() != null ? record.primaryModelGroup() : NONE;
    (record.cache() == RequestRecord.CacheUse.HIT ? cacheHits : cacheMisses)
        .labelValues(group)
        .inc();
  }

  /**
   * The series of this caller's requests to this deployment: the ones resolved at startup for the
   * usual caller (the master key, or nobody on an open gateway), else made on first use for each
   * caller, whose labels come from configured keys only.
   */
  private DeploymentSeries series(Deployment deployment, Principal principal) {
    String callerKey = principal.keyHash() == null ? NONE : principal.keyHash();
    String callerUser = principal.userId() == null ? NONE : principal.userId();
    if (callerKey.equals(hashedKey) && callerUser.equals(user)) {
      return series(deployment);
    }
    Map<String, DeploymentSeries> ofCaller =
        byCaller.computeIfAbsent(callerKey + " " + callerUser, caller -> new ConcurrentHashMap<>());
    Deployment known =
        deployment != null && byDeploymentId.containsKey(deployment.id()) ? deployment : null;
    return ofCaller.computeIfAbsent(
        known == null ? "" : known.id(),
        id -> new DeploymentSeries(this, known, callerKey, callerUser));
  }

  private DeploymentSeries series(Deployment deployment) {
    if (deployment == null) {
      return noDeployment;
    }
    DeploymentSeries series = byDeploymentId.get(deployment.id());
    return series == null ? noDeployment : series;
  }

  /**
   * Removes every metric from the registry, so that an undeployed gateway leaves nothing behind.
   */
  @Override
  public void close() {
    registered.forEach(registry::unregister);
    registered.clear();
  }

  /**
   * The key database's state, read at scrape time: {@code feathergate_key_database_up} (1 while it
   * answers), {@code feathergate_spend_log_rows_pending} (waiting to be written) and {@code
   * feathergate_spend_log_rows_dropped_total} (lost because the database was away too long).
   */
  public void registerKeyDatabase(StoreHealth database, SpendLedger ledger) {
    register(
        GaugeWithCallback.builder()
            .name("feathergate_key_database_up")
            .help(
                "Whether the database of virtual keys and spend answered the last time it was asked")
            .callback(callback -> callback.call(database.up() ? 1 : 0))
            .build());
    register(
        GaugeWithCallback.builder()
            .name("feathergate_spend_log_rows_pending")
            .help("Spend-log rows waiting to be written to the key database")
            .callback(callback -> callback.call(ledger.pendingRows()))
            .build());
    register(
        CounterWithCallback.builder()
            .name("feathergate_spend_log_rows_dropped_total")
            .help("Spend-log rows dropped because the key database was away too long")
            .callback(callback -> callback.call(ledger.droppedRows()))
            .build());
  }

  /**
   * The shared Redis's state, read at scrape time: {@code feathergate_redis_up} (1 while it
   * answers), {@code feathergate_redis_failures_total} (commands that failed, or were skipped while
   * it was away: each request then used this replica's own counters) and {@code
   * feathergate_redis_updates_dropped_total} (updates Redis was too slow to take).
   */
  public void registerRedis(RedisStatus redis) {
    register(
        GaugeWithCallback.builder()
            .name("feathergate_redis_up")
            .help("Whether the Redis the replicas share answered its last command")
            .callback(callback -> callback.call(redis.up() ? 1 : 0))
            .build());
    register(
        CounterWithCallback.builder()
            .name("feathergate_redis_failures_total")
            .help(
                "Redis commands that failed or were skipped while Redis was away; the replica's"
                    + " own counters decided instead")
            .callback(callback -> callback.call(redis.failures()))
            .build());
    register(
        CounterWithCallback.builder()
            .name("feathergate_redis_updates_dropped_total")
            .help("Shared counter updates dropped because Redis was slower than the traffic")
            .callback(callback -> callback.call(redis.droppedUpdates()))
            .build());
  }

  private Counter counter(String name, String help, String... labelNames) {
    return register(
        Counter.builder().name(name).help(help).labelNames(labelNames).withoutExemplars().build());
  }

  private Histogram histogram(String name, String help, String... labelNames) {
    return register(
        Histogram.builder()
            .name(name)
            .help(help)
            .labelNames(labelNames)
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .withoutExemplars()
            .build());
  }

  private Gauge gauge(String name, String help) {
    return register(Gauge.builder().name(name).help(help).withoutExemplars().build());
  }

  private <T extends Collector> T register(T collector) {
    registry.register(collector);
    registered.add(collector);
    return collector;
  }

  static String[] append(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
