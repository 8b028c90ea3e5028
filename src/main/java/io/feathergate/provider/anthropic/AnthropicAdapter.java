package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.UnsupportedParams;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.util.Map;

/**
 * Anthropic's Messages API behind the OpenAI chat-completions dialect: requests, answers, streams
 * and errors are translated both ways (see {@code docs/providers/anthropic.md}).
 */
public final class AnthropicAdapter implements ProviderAdapter {
  private final ProviderSpec spec;
  private final AnthropicPassThrough passThrough;

  /** Anthropic's own API. */
  public AnthropicAdapter() {
    this(ProviderTable.get("anthropic"));
  }

  /** The Anthropic-protocol provider of this table row. */
  public AnthropicAdapter(ProviderSpec spec) {
    this.spec = spec;
    this.passThrough = new AnthropicPassThrough(spec);
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    // a shallow copy: dropping parameters must not change the client's request, which a retry
    // maps again
    ObjectNode clientBody = Json.MAPPER.createObjectNode().setAll(clientRequest.body());
    UnsupportedParams.enforce(
        clientBody,
        "Anthropic",
        AnthropicRequestMapper.supportedParams(clientBody),
        deployment.dropParams());
    ObjectNode upstreamBody =
        AnthropicRequestMapper.map(
            clientBody, route.upstreamModel(), clientRequest.stream(), deployment.dropParams());
    return UpstreamRequest.post(
        AnthropicEndpoint.messagesUri(spec.apiBaseFor(deployment)),
        AnthropicEndpoint.headers(deployment, clientRequest),
        Json.bytes(upstreamBody),
        clientRequest.stream(),
        deployment);
  }

  @Override
  public ChatCompletion fromUpstream(byte[] upstreamBody, StreamContext context) {
    return ChatCompletion.of(AnthropicResponseMapper.map(upstreamBody, context));
  }

  @Override
  public StreamDecoder newStreamDecoder(StreamContext context) {
    return new AnthropicStreamDecoder(context);
  }

  @Override
  public GatewayException toError(int status, Map<String, String> headers, byte[] body) {
    return AnthropicErrors.fromResponse(status, headers, body);
  }

  @Override
  public NativeHandler nativeHandler(NativeApi api) {
    return api == NativeApi.ANTHROPIC_MESSAGES ? passThrough : null;
  }
}
