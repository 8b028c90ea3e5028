package io.feathergate.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id before anything else runs: the client's {@code x-request-id} when it is
 * printable and short, else a new one. The id goes back on every response (401s and Jersey's 404s
 * included), upstream, into error bodies and into the access log.
 */
public final class RequestIdFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  public static final String HEADER = "x-request-id";
  static final String ATTRIBUTE = RequestIdFilter.class.getName();
  static final int MAX_LENGTH = 128;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String id = accept(request.getHeader(HEADER));
    if (id == null) {
      id = newId();
    }
    request.setAttribute(ATTRIBUTE, id);
    response.setHeader(HEADER, id);
    // no response of the gateway is meant to be sniffed into another type (an error echoing
    // client text must never be read as HTML)
    response.setHeader("X-Content-Type-Options", "nosniff");
    chain.doFilter(request, response);
  }

  /** The request's id, or null outside this filter (a container's own error page). */
  static String of(ServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    return id instanceof String text ? text : null;
  }

  /**
   * The client's id if it is safe to echo in a header, a log line and JSON: 1 to 128 printable
   * ASCII characters, no spaces.
   */
  static String accept(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
      return null;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c <= ' ' || c > '~') {
        return null;
      }
    }
    return candidate;
  }

  /** 32 hex digits: unique enough to find one request in the logs, and cheap to make. */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return hex(random.nextLong()) + hex(random.nextLong());
  }

  private static String hex(long value) {
    String digits = Long.toHexString(value);
    return "0".repeat(16 - digits.length()) + digits;
  }
}
