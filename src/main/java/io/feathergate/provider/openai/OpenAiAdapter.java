package io.feathergate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.ChatRequest;
import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayException;
import io.feathergate.core.ProviderAdapter;
import io.feathergate.core.Route;
import io.feathergate.core.StreamContext;
import io.feathergate.core.StreamDecoder;
import io.feathergate.core.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI and every OpenAI-compatible upstream: the request passes through with only {@code model}
 * replaced, and responses come back as they are.
 */
public final class OpenAiAdapter implements ProviderAdapter {
  public static final URI DEFAULT_API_BASE = URI.create("https://api.openai.com/v1");

  /**
   * The chat-completions URL per API base, computed once: parsing the URL again for every call
   * costs more than the call. Bounded by the configured bases (a request cannot choose one). Copied
   * on write: an immutable map in a volatile field, so a reader sees a whole map; two threads
   * adding at once may compute an entry twice, never lose a correct one for long.
   */
  private volatile Map<URI, URI> endpoints = Map.of();

  private URI endpointFor(URI apiBase) {
    URI endpoint = endpoints.get(apiBase);
    if (endpoint == null) {
      endpoint = chatCompletionsUri(apiBase);
      Map<URI, URI> more = new HashMap<>(endpoints);
      more.put(apiBase, endpoint);
      endpoints = Map.copyOf(more);
    }
    return endpoint;
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    // the client's body is written out with only the model replaced, and never changed itself
    byte[] body = Json.bytesWithField(clientRequest.body(), "model", route.upstreamModel());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", clientRequest.stream() ? "text/event-stream" : "application/json");
    if (deployment.apiKey() != null) {
      headers.put("Authorization", "Bearer " + deployment.apiKey().reveal());
    }
    if (deployment.organization() != null) {
      headers.put("OpenAI-Organization", deployment.organization());
    }
    headers.putAll(deployment.extraHeaders());
    URI apiBase = deployment.apiBase() == null ? DEFAULT_API_BASE : deployment.apiBase();
    return UpstreamRequest.post(
        endpointFor(apiBase), headers, body, clientRequest.stream(), deployment);
  }

  static URI chatCompletionsUri(URI apiBase) {
    String base = (apiBase == null ? DEFAULT_API_BASE : apiBase).toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/chat/completions")) {
      return URI.create(base);
    }
    return URI.create(base + "/chat/completions");
  }

  @Override
  public byte[] fromUpstream(byte[] upstreamBody, StreamContext context) {
    if (!Json.isObject(upstreamBody)) {
      throw GatewayException.upstreamProtocol("the response body is not a JSON object");
    }
    return upstreamBody;
  }

  @Override
  public StreamDecoder newStreamDecoder(StreamContext context) {
    return new OpenAiStreamDecoder();
  }

  @Override
  public GatewayException toError(int status, Map<String, String> headers, byte[] body) {
    return OpenAiErrors.fromUpstream(status, body);
  }

  /** Reads a JSON body, or returns null when it is not JSON. */
  static JsonNode readOrNull(byte[] body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
