package io.feathergate.api;

import io.feathergate.core.GatewayException;
import io.feathergate.core.GatewaySettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Requires the master key on every route but the public probes, when a master key is configured.
 * The key is taken from {@code Authorization: Bearer}, {@code x-api-key}, {@code api-key}, {@code
 * x-litellm-api-key}, or the header named by {@code litellm_key_header_name}; compared in constant
 * time; never echoed.
 */
public final class AuthFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  /**
   * Kubernetes probes and load balancers call these without credentials; {@code /metrics} is public
   * as in LiteLLM (it carries no secret and no request content); so is the status page at {@code
   * /}, which holds no data and asks for the key before it reads any.
   */
  private static final Set<String> PUBLIC_PATHS =
      Set.of("/health/liveliness", "/health/liveness", "/health/readiness", "/metrics", "/");

  private static final List<String> DEFAULT_CREDENTIAL_HEADERS =
      List.of("Authorization", "x-api-key", "api-key", "x-litellm-api-key");

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    ApiServices services = ApiServices.of(getServletContext());
    if (services == null || PUBLIC_PATHS.contains(pathOf(request))) {
      chain.doFilter(request, response);
      return;
    }
    GatewaySettings settings = services.config().settings();
    if (!settings.authRequired()) {
      chain.doFilter(request, response);
      return;
    }
    GatewayException rejection;
    try {
      rejection = check(settings, presentedKey(request, settings.customKeyHeader()));
    } catch (GatewayException refused) {
      rejection = refused;
    }
    if (rejection != null) {
      response.setHeader("WWW-Authenticate", "Bearer");
      ErrorResponses.send(request, response, rejection);
      return;
    }
    chain.doFilter(request, response);
  }

  static GatewayException check(GatewaySettings settings, String presented) {
    if (settings.masterKey() == null) {
      return GatewayException.unauthorized(
          "Authentication Error: the gateway's master key is not available ("
              + settings.masterKeyProblem()
              + "), so every request is refused.");
    }
    if (presented == null || presented.isEmpty()) {
      return GatewayException.unauthorized(
          "Authentication Error: no API key passed in. Send it as 'Authorization: Bearer <key>'.");
    }
    if (!settings.masterKey().matches(presented)) {
      return GatewayException.unauthorized("Authentication Error: invalid API key.");
    }
    return null;
  }

  /**
   * The key the client presented, or null for none. Every header that may carry a key is read, each
   * with all its values: a header sent twice, or two headers that carry different keys, are refused
   * rather than resolved by order (which key "wins" differs between the gateway, proxies in front
   * of it and the upstream, and an attacker can append a header but not always remove one).
   *
   * @throws GatewayException 401 for repeated or conflicting credentials
   */
  static String presentedKey(HttpServletRequest request, String customHeader) {
    String found = null;
    for (String header : credentialHeaders(customHeader)) {
      Enumeration<String> values = request.getHeaders(header);
      if (values == null || !values.hasMoreElements()) {
        continue;
      }
      String value = values.nextElement();
      if (values.hasMoreElements()) {
        throw GatewayException.unauthorized(
            "Authentication Error: the '" + header + "' header was sent more than once.");
      }
      String key = header.equals("Authorization") ? bearerToken(value) : stripBearer(value);
      if (key == null) {
        // a malformed Authorization header is not silently replaced by another header
        throw GatewayException.unauthorized(
            "Authentication Error: the Authorization header must be 'Bearer <key>'.");
      }
      if (found != null && !found.equals(key)) {
        throw GatewayException.unauthorized(
            "Authentication Error: two different API keys were sent; send one.");
      }
      found = key;
    }
    return found;
  }

  private static List<String> credentialHeaders(String customHeader) {
    if (customHeader == null) {
      return DEFAULT_CREDENTIAL_HEADERS;
    }
    List<String> headers = new ArrayList<>(DEFAULT_CREDENTIAL_HEADERS);
    headers.add(customHeader);
    return headers;
  }

  private static String bearerToken(String authorization) {
    String value = authorization.strip();
    return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : null;
  }

  private static String stripBearer(String value) {
    String stripped = value.strip();
    return stripped.toLowerCase(Locale.ROOT).startsWith("bearer ")
        ? stripped.substring(7).strip()
        : stripped;
  }

  private static String pathOf(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.isEmpty() ? "/" : path;
  }
}
