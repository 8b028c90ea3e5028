package io.feathergate.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ProviderRegistry;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.UpstreamCall;
import io.feathergate.core.spi.UpstreamClient;
import io.feathergate.core.spi.UpstreamListener;
import io.feathergate.core.spi.UpstreamRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Deployment state from outcomes, and the background probes that feed it. */
class DeploymentHealthTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  static Deployment deployment(String id, String mock, String unavailable) {
    return new Deployment(
        id,
        "group-" + id,
        "openai",
        "model-" + id,
        URI.create("http://127.0.0.1:9/v1"),
        Secret.ofNullable("sk-upstream"),
        null,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        0,
        mock,
        Map.of(),
        Map.of(),
        false,
        io.feathergate.core.Http2Policy.OFF,
        unavailable);
  }

  @Test
  void failuresInARowDegradeThenDownADeploymentAndASuccessHealsIt() {
    Deployment a = deployment("a", null, null);
    DeploymentHealth health = new DeploymentHealth(List.of(a), CLOCK);
    GatewayException overloaded =
        new GatewayException(503, "server_error", "overloaded", null, "503", true);

    assertThat(health.state(a)).isEqualTo(DeploymentHealth.State.HEALTHY);
    health.upstreamAttemptFinished(a, overloaded);
    assertThat(health.state(a)).isEqualTo(DeploymentHealth.State.PARTIAL_OUTAGE);
    health.record(a, overloaded);
    health.record(a, overloaded);
    assertThat(health.state(a)).isEqualTo(DeploymentHealth.State.OUTAGE);
    DeploymentHealth.Status status = health.snapshot().get(0);
    assertThat(status.healthy()).isFalse();
    assertThat(status.lastStatus()).isEqualTo(503);
    assertThat(status.consecutiveFailures()).isEqualTo(3);
    assertThat(status.lastCheckedEpochMillis()).isEqualTo(CLOCK.millis());

    health.record(a, null);
    assertThat(health.state(a).gaugeValue()).isZero();
    assertThat(health.snapshot().get(0).healthy()).isTrue();
  }

  @Test
  void anUnusableDeploymentIsDownAndAnUnknownOneHealthy() {
    Deployment broken = deployment("b", null, "environment variable X is not set");
    DeploymentHealth health = new DeploymentHealth(List.of(broken), CLOCK);

    assertThat(health.state(broken)).isEqualTo(DeploymentHealth.State.OUTAGE);
    assertThat(health.state(deployment("other", null, null)))
        .isEqualTo(DeploymentHealth.State.HEALTHY);
    health.record(deployment("other", null, null), null); // ignored
    assertThat(health.snapshot()).hasSize(1);
  }

  /** An upstream that records each request and answers it with {@code answer}, at once. */
  static UpstreamClient answering(
      List<UpstreamRequest> sent, BiConsumer<UpstreamRequest, UpstreamListener> answer) {
    return new UpstreamClient() {
      @Override
      public UpstreamCall send(UpstreamRequest request, UpstreamListener listener) {
        sent.add(request);
        answer.accept(request, listener);
        return new UpstreamCall() {
          @Override
          public void cancel() {}

          @Override
          public void resume() {}
        };
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void anEmbeddingModelIsProbedWithAnEmbeddingAndAnImageModelNotAtAll() {
    Deployment embedding = deployment("embed", null, null).toBuilder().mode("embedding").build();
    Deployment image = deployment("image", null, null).toBuilder().mode("image_generation").build();
    DeploymentHealth health = new DeploymentHealth(List.of(embedding, image), CLOCK);
    List<UpstreamRequest> sent = new ArrayList<>();
    UpstreamClient upstream =
        answering(
            sent,
            (request, listener) ->
                listener.onResponse(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8)));
    ProviderRegistry providers =
        new ProviderRegistry(Map.of("openai", new io.feathergate.provider.openai.OpenAiAdapter()));

    new HealthProbe(List.of(embedding, image), providers, upstream, health).probeAll();

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).uri().getPath()).isEqualTo("/v1/embeddings");
    assertThat(new String(sent.get(0).body(), StandardCharsets.UTF_8))
        .contains("\"input\":\"ping\"")
        .contains("\"model\":\"model-embed\"");
    assertThat(health.snapshot().get(0).lastCheckedEpochMillis()).isEqualTo(CLOCK.millis());
  }

  @Test
  void probesCallEachCallableDeploymentOnceWithAMinimalRequest() {
    Deployment ok = deployment("ok", null, null);
    Deployment failing = deployment("failing", null, null);
    Deployment unreachable = deployment("unreachable", null, null);
    Deployment streaming = deployment("streaming", null, null);
    Deployment mock = deployment("mock", "hi", null);
    Deployment unusable = deployment("unusable", null, "no key");
    List<Deployment> all = List.of(ok, failing, unreachable, streaming, mock, unusable);
    DeploymentHealth health = new DeploymentHealth(all, CLOCK);
    List<UpstreamRequest> sent = new ArrayList<>();
    UpstreamClient upstream =
        answering(
            sent,
            (request, listener) -> {
              String body = new String(request.body(), StandardCharsets.UTF_8);
              if (body.contains("model-ok")) {
                listener.onResponse(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
              } else if (body.contains("model-failing")) {
                listener.onResponse(
                    401,
                    Map.of(),
                    "{\"error\":{\"message\":\"no\"}}".getBytes(StandardCharsets.UTF_8));
              } else if (body.contains("model-streaming")) {
                listener.onStreamStart(200, Map.of());
                listener.onEvent(new SseEvent(null, "{}", null));
                listener.wantsMore();
                listener.onStreamEnd();
              } else {
                listener.onFailure(GatewayException.upstreamUnreachable("refused"));
              }
            });
    ProviderRegistry providers =
        new ProviderRegistry(Map.of("openai", new io.feathergate.provider.openai.OpenAiAdapter()));

    new HealthProbe(all, providers, upstream, health).probeAll();

    assertThat(sent).hasSize(4);
    assertThat(new String(sent.get(0).body(), StandardCharsets.UTF_8))
        .contains("\"max_tokens\":1")
        .contains("\"model\":\"model-ok\"");
    assertThat(health.state(ok)).isEqualTo(DeploymentHealth.State.HEALTHY);
    assertThat(health.state(streaming)).isEqualTo(DeploymentHealth.State.HEALTHY);
    assertThat(health.state(failing)).isEqualTo(DeploymentHealth.State.PARTIAL_OUTAGE);
    assertThat(health.snapshot().get(1).lastStatus()).isEqualTo(401);
    assertThat(health.state(unreachable)).isEqualTo(DeploymentHealth.State.PARTIAL_OUTAGE);
    assertThat(health.state(mock)).isEqualTo(DeploymentHealth.State.HEALTHY);
  }
}
