package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Anthropic's Messages requests to Anthropic, untranslated: the client's body with only {@code
 * model} replaced, so that {@code cache_control}, thinking, documents, citations, server tools and
 * betas work as Anthropic defines them; the answer and events go back as they came. The gateway
 * reads only the usage ({@code message_start}, {@code message_delta}) and the {@code error} event.
 */
final class AnthropicPassThrough implements NativeHandler {
  private final ProviderSpec spec;

  AnthropicPassThrough(ProviderSpec spec) {
    this.spec = spec;
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    NativeRequest nativeRequest = clientRequest.nativeRequest();
    // a shallow copy: the client's body is never written into, a retry elsewhere starts from it
    ObjectNode upstreamBody = Json.MAPPER.createObjectNode().setAll(nativeRequest.body());
    upstreamBody.put("model", route.upstreamModel());
    URI messages = AnthropicEndpoint.messagesUri(spec.apiBaseFor(deployment));
    URI uri =
        nativeRequest.operation() == NativeRequest.Operation.COUNT_TOKENS
            ? URI.create(messages + "/count_tokens")
            : messages;
    return UpstreamRequest.post(
        uri,
        AnthropicEndpoint.headers(deployment, clientRequest),
        Json.bytes(upstreamBody),
        clientRequest.stream(),
        deployment);
  }

  @Override
  public TokenUsage usage(byte[] answer) {
    JsonNode message = Json.readOrNull(answer);
    JsonNode usage = message == null ? null : message.get("usage");
    return usage == null || !usage.isObject() ? null : AnthropicUsage.from(usage).tokens();
  }

  @Override
  public Stream newStream() {
    return new EventReader();
  }

  /** Follows one stream: its usage, its end, its error event. */
  private static final class EventReader implements Stream {
    private AnthropicUsage usage;
    private boolean stopped;

    @Override
    public GatewayException onEvent(SseEvent event) {
      String name = event.event();
      if (name == null) {
        return null;
      }
      switch (name) {
        case "message_start" -> {
          JsonNode reported = read(event).path("message").get("usage");
          usage = AnthropicUsage.NONE.updatedWith(reported);
        }
        case "message_delta" -> {
          JsonNode reported = read(event).get("usage");
          usage = (usage == null ? AnthropicUsage.NONE : usage).updatedWith(reported);
        }
        case "message_stop" -> stopped = true;
        case "error" -> {
          return AnthropicErrors.fromStreamError(read(event));
        }
        default -> {
          // content blocks, pings and events not known yet go through unread
        }
      }
      return null;
    }

    private static JsonNode read(SseEvent event) {
      JsonNode data = Json.readOrNull(event.data().getBytes(StandardCharsets.UTF_8));
      return data == null ? Json.MAPPER.createObjectNode() : data;
    }

    @Override
    public GatewayException onEnd() {
      return stopped
          ? null
          : GatewayException.upstreamProtocol("the stream ended before its message_stop event");
    }

    @Override
    public TokenUsage usage() {
      return usage == null ? null : usage.tokens();
    }
  }
}
