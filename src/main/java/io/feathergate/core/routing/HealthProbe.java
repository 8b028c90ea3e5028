package io.feathergate.core.routing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderRegistry;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.UpstreamCall;
import io.feathergate.core.spi.UpstreamClient;
import io.feathergate.core.spi.UpstreamListener;
import io.feathergate.core.spi.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code background_health_checks}: a real, minimal call to each deployment, its outcome recorded
 * in {@link DeploymentHealth}: one token of chat, or the embedding of one word for a deployment
 * whose {@code model_info.mode} is {@code embedding}. Deployments of other modes (image generation,
 * audio, rerank, moderation) are not probed: their cheapest call still costs what a real one does.
 * The composition root runs {@link #probeAll()} every {@code health_check_interval}; probes are not
 * requests, so they reach no other listener.
 */
public final class HealthProbe {
  private static final byte[] PROBE_BODY =
      "{\"model\":\"probe\",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}],\"max_tokens\":1}"
          .getBytes(StandardCharsets.UTF_8);

  private static final String EMBEDDING = "embedding";

  private static final ChatRequest EMBEDDING_PROBE = embeddingProbe();

  private final Iterable<Deployment> deployments;
  private final ProviderRegistry providers;
  private final UpstreamClient upstream;
  private final DeploymentHealth health;

  public HealthProbe(
      Iterable<Deployment> deployments,
      ProviderRegistry providers,
      UpstreamClient upstream,
      DeploymentHealth health) {
    this.deployments = deployments;
    this.providers = providers;
    this.upstream = upstream;
    this.health = health;
  }

  /** Starts one probe per deployment that can be called; returns at once. */
  public void probeAll() {
    for (Deployment deployment : deployments) {
      // a mock needs no check, a wildcard has no model to call, an unusable one is known down
      if (deployment.mockResponse() == null
          && !deployment.isWildcard()
          && deployment.unavailableReason() == null
          && probed(deployment.mode())) {
        probe(deployment);
      }
    }
  }

  /** Chat models (the default, and LiteLLM's {@code completion}) and embedding models. */
  static boolean probed(String mode) {
    return mode == null
        || mode.equals("chat")
        || mode.equals("completion")
        || mode.equals(EMBEDDING);
  }

  private void probe(Deployment deployment) {
    UpstreamRequest request;
    try {
      ProviderAdapter adapter = providers.adapter(deployment.provider());
      Route route = new Route(deployment, deployment.upstreamModel());
      if (EMBEDDING.equals(deployment.mode())) {
        NativeHandler embeddings = adapter.nativeHandler(NativeApi.OPENAI_EMBEDDINGS);
        if (embeddings == null) {
          throw GatewayException.deploymentUnavailable(
              deployment.modelGroup(), "its provider serves no embeddings through the gateway");
        }
        request = embeddings.toUpstream(EMBEDDING_PROBE, route);
      } else {
        ChatRequest probe = ChatRequests.parse(PROBE_BODY).withClientHeaders(Map.of());
        request = adapter.toUpstream(probe, route);
      }
    } catch (GatewayException e) {
      health.record(deployment, e);
      return;
    }
    upstream.send(request, new Outcome(deployment));
  }

  /** OpenAI's embeddings request for one word. */
  private static ChatRequest embeddingProbe() {
    ObjectNode body =
        JsonNodeFactory.instance.objectNode().put("model", "probe").put("input", "ping");
    return new ChatRequest(
        body,
        "probe",
        false,
        false,
        Map.of(),
        new NativeRequest(NativeApi.OPENAI_EMBEDDINGS, NativeRequest.Operation.CREATE, body, null));
  }

  /** Waits for the answer without reading a stream; records success or failure once. */
  private final class Outcome implements UpstreamListener {
    private final Deployment deployment;

    Outcome(Deployment deployment) {
      this.deployment = deployment;
    }

    @Override
    public void onSend(UpstreamCall call) {
      // a probe is never cancelled: its deadline ends it
    }

    @Override
    public void onResponse(int status, Map<String, String> headers, byte[] body) {
      if (status >= 200 && status < 300) {
        health.record(deployment, null);
      } else {
        health.record(
            deployment, providers.adapter(deployment.provider()).toError(status, headers, body));
      }
    }

    @Override
    public void onStreamStart(int status, Map<String, String> headers) {
      health.record(deployment, null);
    }

    @Override
    public void onEvent(SseEvent event) {
      // not asked for; nothing to read
    }

    @Override
    public boolean wantsMore() {
      return true;
    }

    @Override
    public void onStreamEnd() {
      // recorded at the start
    }

    @Override
    public void onFailure(GatewayException failure) {
      health.record(deployment, failure);
    }
  }
}
