package io.feathergate.core.errors;

import java.util.Map;

/**
 * A failure the client is told about, with everything the OpenAI error body needs. Thrown and
 * passed around on the request path, so it skips the stack trace: the message says what happened.
 */
public final class GatewayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String param;
  private final String code;
  private final boolean retryable;
  private final Map<String, String> headers;
  private final boolean notSent;

  public GatewayException(
      int status, String type, String message, String param, String code, boolean retryable) {
    this(status, type, message, param, code, retryable, Map.of(), false);
  }

  private GatewayException(
      int status,
      String type,
      String message,
      String param,
      String code,
      boolean retryable,
      Map<String, String> headers,
      boolean notSent) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
    this.retryable = retryable;
    this.headers = headers;
    this.notSent = notSent;
  }

  /** The same error with another message (a redacted one, or one with more context). */
  public GatewayException withMessage(String message) {
    return new GatewayException(status, type, message, param, code, retryable, headers, notSent);
  }

  /**
   * The same error, known to have happened before the upstream received the request (its HTTP/2
   * connection was closing, or a pooled connection had gone stale): sending it again is safe.
   */
  public GatewayException asNotSent() {
    return new GatewayException(status, type, getMessage(), param, code, retryable, headers, true);
  }

  /** Whether the upstream never received the request; see {@link #asNotSent}. */
  public boolean notSent() {
    return notSent;
  }

  /**
   * The same error with response headers for the client ({@code retry-after}, an upstream's rate
   * limits), by lower-case name.
   */
  public GatewayException withHeaders(Map<String, String> clientHeaders) {
    return new GatewayException(
        status, type, getMessage(), param, code, retryable, Map.copyOf(clientHeaders), notSent);
  }

  /** A gateway-made error: LiteLLM sends the status as the code, so clients that read it agree. */
  private static GatewayException of(int status, String type, String message, String param) {
    return new GatewayException(
        status, type, message, param, Integer.toString(status), isRetryableStatus(status));
  }

  public static GatewayException badRequest(String message, String param) {
    return of(400, "invalid_request_error", message, param);
  }

  public static GatewayException unknownModel(String route, String model) {
    return of(
        400,
        "invalid_request_error",
        route
            + ": Invalid model name passed in model="
            + model
            + ". Call `/v1/models` to view available models for your key.",
        "model");
  }

  public static GatewayException unauthorized(String message) {
    return of(401, "auth_error", message, null);
  }

  /** Something the gateway depends on (its key database) cannot answer now; worth retrying. */
  public static GatewayException serviceUnavailable(String message) {
    return of(503, "service_unavailable", message, null);
  }

  public static GatewayException notFound(String message) {
    return of(404, "invalid_request_error", message, null);
  }

  public static GatewayException methodNotAllowed(String method, String path) {
    return of(
        405, "invalid_request_error", "Method " + method + " is not allowed on " + path, null);
  }

  public static GatewayException payloadTooLarge(long limitBytes) {
    return of(
        413,
        "invalid_request_error",
        "Request body is larger than the limit of "
            + limitBytes
            + " bytes (general_settings.max_request_size_mb).",
        null);
  }

  /** The request body could not be read: broken chunked framing, or it ended before its end. */
  public static GatewayException unreadableBody(String detail) {
    return of(400, "invalid_request_error", "The request body could not be read: " + detail, null);
  }

  /**
   * The request body stopped arriving before it was complete; {@code after} says for how long, and
   * what limits it.
   */
  public static GatewayException bodyTimeout(String after) {
    return of(
        408,
        "invalid_request_error",
        "The request body stopped arriving before it was complete: " + after,
        null);
  }

  public static GatewayException unsupportedMediaType(String contentType) {
    return of(
        415,
        "invalid_request_error",
        "Content-Type must be application/json, got " + contentType,
        null);
  }

  public static GatewayException deploymentUnavailable(String modelGroup, String reason) {
    return of(
        500,
        "internal_server_error",
        "Model group " + modelGroup + " cannot be served: " + reason,
        null);
  }

  /**
   * LiteLLM's answer when every deployment of a group is cooling down or at its limits: 429 with
   * the wait in {@code retry-after}, and the message text LiteLLM's users grep for.
   */
  public static GatewayException noDeploymentsAvailable(
      String requestedModel, long retryAfterSeconds) {
    return new GatewayException(
        429,
        "rate_limit_error",
        "No deployments available for selected model, Try again in "
            + retryAfterSeconds
            + " seconds. Passed model="
            + requestedModel,
        null,
        "429",
        true,
        Map.of("retry-after", Long.toString(retryAfterSeconds)),
        false);
  }

  public static GatewayException upstreamUnreachable(String detail) {
    return new GatewayException(
        502, "upstream_connection_error", "Upstream unreachable: " + detail, null, "502", true);
  }

  public static GatewayException upstreamTimeout(String detail) {
    return new GatewayException(504, "timeout", "Upstream timed out: " + detail, null, "504", true);
  }

  public static GatewayException upstreamProtocol(String detail) {
    return new GatewayException(
        502, "upstream_error", "Upstream sent an invalid response: " + detail, null, "502", true);
  }

  public static GatewayException internal(String message) {
    return of(500, "internal_server_error", message, null);
  }

  /** OpenAI's error type for an upstream status when the upstream named none. */
  public static String typeForStatus(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }

  /** Statuses worth another attempt: the ones OpenAI's SDKs retry too. */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String param() {
    return param;
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }

  /** Headers the client's error response carries besides the body; often empty. */
  public Map<String, String> headers() {
    return headers;
  }
}
