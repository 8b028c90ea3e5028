package io.feathergate.api;

import io.feathergate.core.GatewaySettings;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.errors.GatewayException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Authenticates every request but the public probes through the gateway's {@link
 * io.feathergate.core.auth.Authenticator} (the master key, when one is configured) and hands the
 * caller on as a request attribute. An authentication that cannot answer at once does not hold the
 * container's thread: the request goes asynchronous and comes back through this filter. The key is
 * taken from {@code Authorization: Bearer}, {@code x-api-key}, {@code api-key}, {@code
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

  /** The request attribute that carries the caller once authenticated. */
  static final String PRINCIPAL = AuthFilter.class.getName() + ".principal";

  /** The failure of an authentication that completed after the request went asynchronous. */
  private static final String REFUSED = AuthFilter.class.getName() + ".refused";

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.ASYNC) {
      resumeAfterAuthentication(request, response, chain);
      return;
    }
    ApiServices services = ApiServices.of(getServletContext());
    if (services == null || PUBLIC_PATHS.contains(pathOf(request))) {
      request.setAttribute(PRINCIPAL, Principal.NONE);
      chain.doFilter(request, response);
      return;
    }
    GatewaySettings settings = services.config().settings();
    CompletableFuture<Principal> caller;
    try {
      String presented =
          settings.authRequired() ? presentedKey(request, settings.customKeyHeader()) : null;
      caller = services.authenticator().authenticate(presented).toCompletableFuture();
    } catch (GatewayException refused) {
      refuse(request, response, refused);
      return;
    }
    if (caller.isDone()) {
      // the usual case (the master key, a key already in memory): no asynchronous round
      Object outcome = outcome(caller);
      if (outcome instanceof Principal principal) {
        request.setAttribute(PRINCIPAL, principal);
        chain.doFilter(request, response);
      } else {
        refuse(request, response, (GatewayException) outcome);
      }
      return;
    }
    // a key not in memory yet: no container thread waits for it; the request comes back through
    // this filter as an ASYNC dispatch once the answer is there
    AsyncContext async = request.startAsync();
    async.setTimeout(0);
    var unused =
        caller.whenComplete(
            (principal, failure) -> {
              // the outcome is handed over as an attribute; nothing waits on this stage
              Object outcome = outcome(caller);
              request.setAttribute(outcome instanceof Principal ? PRINCIPAL : REFUSED, outcome);
              async.dispatch();
            });
  }

  private void resumeAfterAuthentication(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Object refused = request.getAttribute(REFUSED);
    if (refused instanceof GatewayException failure) {
      refuse(request, response, failure);
      return;
    }
    chain.doFilter(request, response);
  }

  /** The principal of a completed authentication, or the GatewayException it failed with. */
  private static Object outcome(CompletableFuture<Principal> caller) {
    try {
      return caller.join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause();
      return cause instanceof GatewayException refused
          ? refused
          : GatewayException.internal("Authentication could not be completed.");
    }
  }

  private static void refuse(
      HttpServletRequest request, HttpServletResponse response, GatewayException refused)
      throws IOException {
    response.setHeader("WWW-Authenticate", "Bearer");
    ErrorResponses.send(request, response, refused);
  }

  /** Who made the request: set by this filter for every request it let through. */
  /**
   * The caller of a route only the master key may call.
   *
   * @throws GatewayException 403 with {@code message} for anyone else
   */
  static Principal admin(HttpServletRequest request, String message) {
    Principal caller = principalOf(request);
    if (!caller.isAdmin()) {
      throw new GatewayException(403, "auth_error", message, null, "403", false);
    }
    return caller;
  }

  static Principal principalOf(HttpServletRequest request) {
    Object principal = request.getAttribute(PRINCIPAL);
    return principal instanceof Principal known ? known : Principal.NONE;
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
    for (String header : DEFAULT_CREDENTIAL_HEADERS) {
      found = presentedIn(request, header, found);
    }
    return customHeader == null ? found : presentedIn(request, customHeader, found);
  }

  /** The key in {@code header}, checked against the one {@code found} in another header. */
  private static String presentedIn(HttpServletRequest request, String header, String found) {
    Enumeration<String> values = request.getHeaders(header);
    if (values == null || !values.hasMoreElements()) {
      return found;
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
    return key;
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
