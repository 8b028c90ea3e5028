package io.feathergate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.Secret;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.routing.DeploymentHealth;
import io.feathergate.core.spi.TokenUsage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LiteLLM's metrics fed by gateway events, in a registry of their own. */
class PrometheusMetricsTest {
  static final String NONE = "None";
  static final Deployment DEPLOYMENT =
      new Deployment(
          "dep-1",
          "gpt-4o",
          "openai",
          "gpt-4o-2024-08-06",
          URI.create("https://user:secret@api.example.com:8443/v1?key=abc"),
          Secret.ofNullable("sk-upstream"),
          null,
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          0,
          null,
          Map.of(),
          Map.of(),
          false,
          io.feathergate.core.Http2Policy.OFF,
          null);

  static GatewaySettings settings(String masterKey) {
    return GatewaySettings.builder()
        .masterKey(Secret.ofNullable(masterKey))
        .prometheusMetrics(true)
        .build();
  }

  static RequestRecord record(Deployment deployment, int status, boolean stream) {
    return record(deployment, status, stream, Principal.NONE);
  }

  static RequestRecord record(
      Deployment deployment, int status, boolean stream, Principal principal) {
    return new RequestRecord(
        "id",
        0,
        "/v1/chat/completions",
        deployment,
        stream,
        status,
        status >= 400 ? "error" : null,
        3_000_000,
        stream ? 1_000_000 : -1,
        deployment == null ? -1 : 2_000_000,
        status < 400 ? new TokenUsage(5, 7, 12) : null,
        0,
        0,
        deployment == null ? null : deployment.modelGroup(),
        "127.0.0.1",
        principal,
        RequestRecord.CacheUse.NONE);
  }

  /** The caller travels with the request: each key is counted under its own hash and user. */
  @Test
  void eachCallerIsCountedUnderItsOwnKeyHashAndUser() {
    PrometheusRegistry registry = new PrometheusRegistry();
    DeploymentHealth health = new DeploymentHealth(List.of(DEPLOYMENT), Clock.systemUTC());
    Principal master = Principal.masterKey(Secret.ofNullable("sk-master"));
    Principal other = new Principal("ab".repeat(32), "app-1", "user-7", "team-3");
    try (PrometheusMetrics metrics =
        new PrometheusMetrics(registry, List.of(DEPLOYMENT), settings("sk-master"), health)) {
      for (Principal caller : List.of(master, other, other)) {
        metrics.requestStarted();
        metrics.requestFinished(record(DEPLOYMENT, 200, false, caller));
      }
      String route = "/v1/chat/completions";
      assertThat(
              metrics
                  .totalRequests
                  .labelValues(
                      NONE,
                      master.keyHash(),
                      NONE,
                      "gpt-4o",
                      NONE,
                      NONE,
                      "default_user_id",
                      "200",
                      route)
                  .get())
          .isEqualTo(1.0);
      assertThat(
              metrics
                  .totalRequests
                  .labelValues(
                      NONE, "ab".repeat(32), NONE, "gpt-4o", NONE, NONE, "user-7", "200", route)
                  .get())
          .isEqualTo(2.0);
    }
  }

  @Test
  void recordsRequestsTokensLatenciesAndDeploymentOutcomesUnderConfigLabelsOnly() {
    PrometheusRegistry registry = new PrometheusRegistry();
    DeploymentHealth health = new DeploymentHealth(List.of(DEPLOYMENT), Clock.systemUTC());
    PrometheusMetrics metrics =
        new PrometheusMetrics(registry, List.of(DEPLOYMENT), settings(null), health);

    metrics.requestStarted();
    assertThat(metrics.inFlight.get()).isEqualTo(1.0);
    metrics.upstreamAttemptFinished(DEPLOYMENT, null);
    metrics.requestFinished(record(DEPLOYMENT, 200, true));
    metrics.requestStarted();
    metrics.upstreamAttemptFinished(
        DEPLOYMENT, new GatewayException(503, "x", "down", null, "503", true));
    metrics.requestFinished(record(DEPLOYMENT, 503, false));
    metrics.requestStarted();
    metrics.requestFinished(record(null, 400, false));

    assertThat(metrics.inFlight.get()).isZero();
    String base = "https://api.example.com:8443/v1";
    String[] deploymentLabels = {
      "gpt-4o", "openai/gpt-4o-2024-08-06", "dep-1", base, "openai", NONE, NONE, NONE, NONE
    };
    assertThat(metrics.deploymentTotal.labelValues(deploymentLabels).get()).isEqualTo(2.0);
    assertThat(metrics.deploymentSuccess.labelValues(deploymentLabels).get()).isEqualTo(1.0);
    assertThat(
            metrics
                .deploymentFailure
                .labelValues(
                    PrometheusMetrics.append(
                        deploymentLabels, "503", "Openai.ServiceUnavailableError"))
                .get())
        .isEqualTo(1.0);
    String route = "/v1/chat/completions";
    assertThat(
            metrics
                .totalRequests
                .labelValues(NONE, NONE, NONE, "gpt-4o", NONE, NONE, NONE, "200", route)
                .get())
        .isEqualTo(1.0);
    assertThat(
            metrics
                .failedRequests
                .labelValues(
                    NONE, NONE, NONE, NONE, NONE, NONE, NONE, "400", "BadRequestError", route)
                .get())
        .isEqualTo(1.0);
    String[] tokenLabels = {NONE, NONE, NONE, "gpt-4o-2024-08-06", NONE, NONE, NONE, "gpt-4o"};
    assertThat(metrics.inputTokens.labelValues(tokenLabels).get()).isEqualTo(5.0);
    assertThat(metrics.outputTokens.labelValues(tokenLabels).get()).isEqualTo(7.0);
    assertThat(metrics.totalTokens.labelValues(tokenLabels).get()).isEqualTo(12.0);
    assertThat(
            metrics
                .timeToFirstToken
                .labelValues("gpt-4o-2024-08-06", NONE, NONE, NONE, NONE)
                .getSum())
        .isEqualTo(0.001);
    assertThat(
            metrics
                .overheadLatency
                .labelValues("gpt-4o", "openai", base, "openai/gpt-4o-2024-08-06", NONE, NONE)
                .getCount())
        .isEqualTo(2);

    String names =
        registry.scrape().stream().map(s -> s.getMetadata().getName()).toList().toString();
    assertThat(names)
        .contains("litellm_deployment_state", "litellm_deployment_cooled_down")
        .doesNotContain("secret");
    metrics.close();
    assertThat(registry.scrape().size()).isZero();
  }

  /**
   * An exemplar sampler would start the client library's scheduler thread, which nothing can stop:
   * in a container it outlives the undeployed WAR. Nothing else in the gateway starts that thread.
   */
  @Test
  void recordingStartsNoSchedulerThread() {
    PrometheusRegistry registry = new PrometheusRegistry();
    DeploymentHealth health = new DeploymentHealth(List.of(DEPLOYMENT), Clock.systemUTC());
    try (PrometheusMetrics metrics =
        new PrometheusMetrics(registry, List.of(DEPLOYMENT), settings("sk-master"), health)) {
      metrics.requestStarted();
      metrics.upstreamAttemptFinished(DEPLOYMENT, null);
      metrics.upstreamAttemptFinished(
          DEPLOYMENT, new GatewayException(503, "x", "down", null, "503", true));
      metrics.requestFinished(record(DEPLOYMENT, 200, true));
      metrics.requestStarted();
      metrics.requestFinished(record(null, 400, false));
      registry.scrape();
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .noneMatch(name -> name.startsWith("prometheus-metrics-scheduler"));
  }

  @Test
  void theMasterKeyShowsOnlyAsItsHashAndTheDefaultUser() throws Exception {
    GatewaySettings withKey = settings("sk-1234");
    String expected =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest("sk-1234".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(LabelValues.hashedApiKey(withKey)).isEqualTo(expected).hasSize(64);
    assertThat(LabelValues.user(withKey)).isEqualTo("default_user_id");
    assertThat(LabelValues.hashedApiKey(settings(null))).isEqualTo(NONE);
    assertThat(LabelValues.user(settings(null))).isEqualTo(NONE);
  }

  @Test
  void exceptionClassesFollowLiteLlmNaming() {
    assertThat(LabelValues.exceptionClass("openai", 429)).isEqualTo("Openai.RateLimitError");
    assertThat(LabelValues.exceptionClass("anthropic", 401))
        .isEqualTo("Anthropic.AuthenticationError");
    assertThat(LabelValues.exceptionClass(null, 400)).isEqualTo("BadRequestError");
    assertThat(LabelValues.exceptionClass("openai", 499)).isEqualTo("ClientDisconnectError");
    assertThat(LabelValues.exceptionClass("openai", 504)).isEqualTo("Openai.Timeout");
    assertThat(LabelValues.exceptionClass("openai", 500)).isEqualTo("Openai.InternalServerError");
    assertThat(LabelValues.exceptionClass("openai", 418)).isEqualTo("Openai.APIError");
  }
}
