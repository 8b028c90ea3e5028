package io.feathergate.provider.anthropic;

import io.feathergate.core.Deployment;
import io.feathergate.core.spi.ChatRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Where and how a Messages request is sent: the URL and the headers. */
final class AnthropicEndpoint {
  /**
   * Pinned: {@code 2026-10-21} and later remove {@code temperature}, {@code top_p} and {@code
   * top_k}, which OpenAI clients send.
   */
  static final String API_VERSION = "2023-06-01";

  private static final String BETA = "anthropic-beta";

  private AnthropicEndpoint() {}

  /**
   * The Messages URL for any way of writing {@code api_base}: the bare host ({@code
   * https://api.anthropic.com}, as LiteLLM and Anthropic's SDKs take it), with {@code /v1} (as
   * OpenAI-style configs write it), or already ending in {@code /v1/messages}.
   */
  static URI messagesUri(URI apiBase) {
    String base = apiBase.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/v1/messages")) {
      return URI.create(base);
    }
    if (base.endsWith("/v1")) {
      return URI.create(base + "/messages");
    }
    return URI.create(base + "/v1/messages");
  }

  /**
   * The request headers. The deployment's {@code extra_headers} come last and win, except that
   * {@code anthropic-beta} values from the client and from the deployment are combined: both ask
   * for features, and dropping either would silently turn one off.
   */
  static Map<String, String> headers(Deployment deployment, ChatRequest clientRequest) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", clientRequest.stream() ? "text/event-stream" : "application/json");
    if (deployment.apiKey() != null) {
      headers.put("x-api-key", deployment.apiKey().reveal());
    }
    headers.put("anthropic-version", API_VERSION);
    String clientBeta = clientRequest.clientHeaders().get(BETA);
    if (clientBeta != null && !clientBeta.isBlank()) {
      headers.put(BETA, clientBeta.strip());
    }
    for (Map.Entry<String, String> extra : deployment.extraHeaders().entrySet()) {
      String name = extra.getKey().toLowerCase(Locale.ROOT);
      String value = extra.getValue();
      if (name.equals(BETA) && headers.containsKey(BETA)) {
        value = mergeBetas(value, headers.get(BETA));
      }
      headers.put(name, value);
    }
    return headers;
  }

  private static String mergeBetas(String first, String second) {
    Map<String, Boolean> betas = new LinkedHashMap<>();
    for (String list : new String[] {first, second}) {
      for (String beta : list.split(",", -1)) {
        if (!beta.isBlank()) {
          betas.put(beta.strip(), Boolean.TRUE);
        }
      }
    }
    return String.join(",", betas.keySet());
  }
}
