package io.feathergate.core.routing;

import io.feathergate.core.RouterSettings.ErrorClass;
import io.feathergate.core.errors.GatewayException;
import java.util.List;
import java.util.Locale;

/**
 * Reads what kind of failure an attempt met, from the status, code and message each provider's
 * adapter kept from the upstream's own error: the router retries, falls back and cools down by it.
 */
final class Failures {
  /**
   * How providers say a prompt is longer than the model's context window: OpenAI and the
   * OpenAI-compatible family, Azure, Anthropic, Gemini and Vertex, Bedrock, Mistral, Ollama.
   */
  private static final List<String> CONTEXT_WINDOW_PHRASES =
      List.of(
          "context_length_exceeded",
          "maximum context length",
          "context length",
          "context window",
          "prompt is too long",
          "input is too long",
          "too many input tokens",
          "exceeds the maximum number of tokens",
          "input token count",
          "reduce the length of the messages",
          "string too long",
          "model's maximum");

  /** OpenAI's and Azure's codes and wording for a request its content filter refused. */
  private static final List<String> CONTENT_POLICY_PHRASES =
      List.of(
          "content_policy_violation",
          "content_filter",
          "content management policy",
          "responsibleaipolicyviolation",
          "safety system");

  private Failures() {}

  /** A prompt longer than the deployment's context window. */
  static boolean contextWindowExceeded(GatewayException failure) {
    return (failure.status() == 400 || failure.status() == 413)
        && mentions(failure, CONTEXT_WINDOW_PHRASES);
  }

  /** A request the provider's content policy refused. */
  static boolean contentPolicyViolation(GatewayException failure) {
    return failure.status() == 400 && mentions(failure, CONTENT_POLICY_PHRASES);
  }

  /** The {@code retry_policy} / {@code allowed_fails_policy} class of a failure. */
  static ErrorClass errorClass(GatewayException failure) {
    int status = failure.status();
    if (status == 401 || status == 403) {
      return ErrorClass.AUTHENTICATION;
    }
    if (status == 408 || status == 504 || "timeout".equals(failure.type())) {
      return ErrorClass.TIMEOUT;
    }
    if (status == 429) {
      return ErrorClass.RATE_LIMIT;
    }
    if (status >= 500) {
      return ErrorClass.INTERNAL_SERVER;
    }
    return contentPolicyViolation(failure)
        ? ErrorClass.CONTENT_POLICY_VIOLATION
        : ErrorClass.BAD_REQUEST;
  }

  /**
   * How long the upstream asked to wait ({@code retry-after-ms}, or {@code retry-after} in
   * seconds), or -1 when it did not say in a form that is understood.
   */
  static long retryAfterMillis(GatewayException failure) {
    String millis = failure.headers().get("retry-after-ms");
    if (millis != null) {
      try {
        return Math.max(0, (long) Double.parseDouble(millis.trim()));
      } catch (NumberFormatException e) {
        // fall through to retry-after
      }
    }
    String seconds = failure.headers().get("retry-after");
    if (seconds != null) {
      try {
        return Math.max(0, (long) (Double.parseDouble(seconds.trim()) * 1000));
      } catch (NumberFormatException e) {
        return -1; // an HTTP date: rare from LLM APIs, and the backoff is a fine guess
      }
    }
    return -1;
  }

  private static boolean mentions(GatewayException failure, List<String> phrases) {
    String code = failure.code() == null ? "" : failure.code().toLowerCase(Locale.ROOT);
    String message =
        failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(Locale.ROOT);
    for (String phrase : phrases) {
      if (code.contains(phrase) || message.contains(phrase)) {
        return true;
      }
    }
    return false;
  }
}
