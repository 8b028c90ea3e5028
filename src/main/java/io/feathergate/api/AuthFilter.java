package io.feathergate.api;

import io.feathergate.core.GatewayException;
import io.feathergate.core.GatewaySettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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

  private static final String[] KEY_HEADERS = {"x-api-key", "api-key", "x-litellm-api-key"};

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
    String presented = presentedKey(request, settings.customKeyHeader());
    GatewayException rejection = check(settings, presented);
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

  static String presentedKey(HttpServletRequest request, String customHeader) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      String value = authorization.strip();
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return value.substring(7).strip();
      }
      return null; // a malformed Authorization header is not silently replaced by another header
    }
    if (customHeader != null) {
      String value = request.getHeader(customHeader);
      if (value != null) {
        return stripBearer(value);
      }
    }
    for (String header : KEY_HEADERS) {
      String value = request.getHeader(header);
      if (value != null) {
        return stripBearer(value);
      }
    }
    return null;
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
