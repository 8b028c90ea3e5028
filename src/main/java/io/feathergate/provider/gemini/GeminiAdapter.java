package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.util.Map;

/**
 * Google AI Studio's Gemini API ({@code generativelanguage.googleapis.com/v1beta}, LiteLLM's {@code
 * gemini/} prefix): OpenAI chat requests become {@code generateContent} calls, and Gemini's
 * answers, streams and errors come back in OpenAI's shape. See {@code docs/providers/gemini.md} for
 * the mapping.
 */
public final class GeminiAdapter implements ProviderAdapter {
  private final ProviderSpec spec;
  private final GeminiEmbeddings embeddings;

  /** Google AI Studio. */
  public GeminiAdapter() {
    this(ProviderTable.get("gemini"));
  }

  /** The Gemini-protocol provider of this table row. */
  public GeminiAdapter(ProviderSpec spec) {
    this.spec = spec;
    this.embeddings = new GeminiEmbeddings(spec);
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    byte[] body =
        Json.bytes(
            GeminiRequestMapper.toUpstream(
                clientRequest, route.upstreamModel(), deployment.dropParams()));
    return UpstreamRequest.post(
        GeminiEndpoints.generateContent(
            spec.apiBaseFor(deployment), route.upstreamModel(), clientRequest.stream()),
        GeminiEndpoints.headers(deployment),
        body,
        clientRequest.stream(),
        deployment);
  }

  @Override
  public ChatCompletion fromUpstream(byte[] upstreamBody, StreamContext context) {
    JsonNode response = Json.readOrNull(upstreamBody);
    if (response == null || !(response.isObject() || response.isArray())) {
      throw GatewayException.upstreamProtocol("the Gemini response body is not JSON");
    }
    return ChatCompletion.of(GeminiResponseMapper.toCompletion(response, context));
  }

  @Override
  public StreamDecoder newStreamDecoder(StreamContext context) {
    return new GeminiStreamDecoder(context);
  }

  @Override
  public GatewayException toError(int status, Map<String, String> headers, byte[] body) {
    return GeminiErrors.fromUpstream(status, body);
  }

  @Override
  public NativeHandler nativeHandler(NativeApi api) {
    return api == NativeApi.OPENAI_EMBEDDINGS ? embeddings : null;
  }
}
