package io.feathergate.wire;

/** Anthropic's error types, which its API derives from the status (its errors page). */
public final class AnthropicErrorTypes {
  /** Anthropic's "overloaded" status, which is no HTTP status other clients know. */
  public static final int OVERLOADED = 529;

  private AnthropicErrorTypes() {}

  /** The error type Anthropic gives a status. */
  public static String forStatus(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case OVERLOADED -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}
