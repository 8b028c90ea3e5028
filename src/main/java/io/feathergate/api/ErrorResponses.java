package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Writes error bodies from servlet code that has not gone asynchronous. */
final class ErrorResponses {
  /**
   * Words that give away the software behind the gateway, or that a message carries a Java
   * exception: a container's message with any of them is not shown.
   */
  private static final Pattern REVEALING =
      Pattern.compile(
          "jetty|tomcat|catalina|coyote|undertow|wildfly|jboss|jersey|glassfish|servlet|jakarta"
              + "|java|exception|throwable|\\w+\\.\\w+\\.\\w+");

  private static final int MAX_DETAIL = 200;

  private ErrorResponses() {}

  static byte[] body(GatewayException e, String requestId) {
    return ErrorBody.toJson(e.getMessage(), e.type(), e.param(), e.code(), requestId);
  }

  /** Answers with the error in the dialect of the route the client called. */
  static void send(HttpServletRequest request, HttpServletResponse response, GatewayException e)
      throws IOException {
    boolean messages = ExchangeRoute.isMessages(request.getServletPath());
    String requestId = RequestIdFilter.of(request);
    byte[] body = messages ? MessagesErrors.body(e, requestId) : body(e, requestId);
    response.setStatus(messages ? MessagesErrors.status(e) : e.status());
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /**
   * The error for a bare HTTP status, as a container or framework reports it without anything the
   * gateway knows more about.
   *
   * @param method the request's method, or null
   * @param path the request's path, or null
   * @param detail the container's own message, shown only when it reveals nothing (see {@link
   *     #shown}); may be null
   */
  static GatewayException forStatus(int status, String method, String path, String detail) {
    String message =
        switch (status) {
          case 404 -> "Not found: no such route.";
          case 405 ->
              method != null && path != null
                  ? "Method " + method + " is not allowed on " + path
                  : "Method not allowed on this route.";
          case 406 -> "Only application/json responses are available.";
          case 415 -> "Unsupported content type.";
          case 505 -> "Unsupported HTTP version.";
          default -> status >= 500 ? "Internal server error." : shown(detail, status);
        };
    return new GatewayException(
        status, typeForStatus(status), message, null, Integer.toString(status), false);
  }

  /**
   * The OpenAI error type of a status the gateway did not choose: the client's mistake for 4xx (and
   * for 505, an HTTP version the client picked), the gateway's for the rest of 5xx.
   */
  static String typeForStatus(int status) {
    if (status == 401) {
      return "auth_error";
    }
    return status < 500 || status == 505 ? "invalid_request_error" : "internal_server_error";
  }

  /** The container's message when it is short, plain and reveals nothing; else the reason. */
  static String shown(String detail, int status) {
    if (detail == null
        || detail.isBlank()
        || detail.length() > MAX_DETAIL
        || !detail.chars().allMatch(c -> c >= ' ' && c <= '~')
        || REVEALING.matcher(detail.toLowerCase(Locale.ROOT)).find()) {
      return reason(status);
    }
    return detail;
  }

  /** What a status means, in the words of its RFC. */
  static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad request.";
      case 401 -> "Unauthorized.";
      case 403 -> "Forbidden.";
      case 408 -> "Request timeout.";
      case 409 -> "Conflict.";
      case 411 -> "Length required.";
      case 413 -> "Request body too large.";
      case 414 -> "URI too long.";
      case 417 -> "Expectation failed.";
      case 429 -> "Too many requests.";
      case 431 -> "Request header fields too large.";
      default -> "HTTP error " + status + ".";
    };
  }
}
