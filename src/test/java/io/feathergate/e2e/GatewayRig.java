package io.feathergate.e2e;

import com.openai.client.OpenAIClient;
import java.util.function.Function;

/**
 * One fake upstream, the gateway in front of it and an official client: the setup every provider's
 * own E2E test shares.
 */
final class GatewayRig implements AutoCloseable {
  final FakeUpstream upstream;
  final GatewayServer gateway;
  final OpenAIClient client;

  private GatewayRig(FakeUpstream upstream, GatewayServer gateway, OpenAIClient client) {
    this.upstream = upstream;
    this.gateway = gateway;
    this.client = client;
  }

  /**
   * @param config the gateway's config text for the started upstream
   * @param clientKey the key the client presents
   */
  static GatewayRig start(Function<FakeUpstream, String> config, String clientKey)
      throws Exception {
    FakeUpstream upstream = new FakeUpstream();
    GatewayServer gateway = GatewayServer.start(config.apply(upstream));
    return new GatewayRig(upstream, gateway, ClientSide.sdk(gateway, clientKey));
  }

  /** Answers with {@code responder} once a request passed the provider's own checks. */
  void answer(ProviderFake provider, FakeUpstream.Responder responder) {
    upstream.respondWith(provider.checked(responder));
  }

  @Override
  public void close() throws Exception {
    client.close();
    gateway.close();
    upstream.close();
  }
}
