package io.feathergate.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * OpenAI and every OpenAI-compatible upstream: the request passes through with only {@code model}
 * replaced, and responses come back as they are.
 */
public final class OpenAiAdapter implements ProviderAdapter {
  public static final URI DEFAULT_API_BASE = URI.create("https://api.openai.com/v1");

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    ObjectNode upstreamBody = clientRequest.body();
    upstreamBody.put("model", route.upstreamModel());
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(upstreamBody);
    } catch (JsonProcessingException e) {
      throw GatewayException.internal("Could not serialise the upstream request");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", clientRequest.stream() ? "text/event-stream" : "application/json");
    if (deployment.apiKey() != null) {
      headers.put("Authorization", "Bearer " + deployment.apiKey().reveal());
    }
    if (deployment.organization() != null) {
      headers.put("OpenAI-Organization", deployment.organization());
    }
    headers.putAll(deployment.extraHeaders());
    return UpstreamRequest.post(
        endpointFor(deployment.apiBase()), headers, body, clientRequest.stream(), deployment);
  }

  /**
   * The last base and its endpoint: parsing the URL again for every call costs more than the call.
   */
  private record Endpoint(URI apiBase, URI chatCompletions) {}

  // a benign race: the record is immutable (final fields), so a thread sees a whole pair or none
  // and at worst computes the endpoint once more
  private Endpoint lastEndpoint;

  private URI endpointFor(URI apiBase) {
    Endpoint endpoint = lastEndpoint;
    if (endpoint == null || !Objects.equals(endpoint.apiBase(), apiBase)) {
      endpoint = new Endpoint(apiBase, chatCompletionsUri(apiBase));
      lastEndpoint = endpoint;
    }
    return endpoint.chatCompletions();
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
