package io.feathergate.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Bedrock's errors as OpenAI's. The exception's name comes in {@code x-amzn-errortype} (an HTTP
 * error) or {@code :exception-type} (inside a stream), the message in the body's {@code message}.
 */
final class BedrockErrors {
  private static final int MAX_SNIPPET = 300;

  private BedrockErrors() {}

  static GatewayException fromResponse(int status, Map<String, String> headers, byte[] body) {
    String type = headers.get("x-amzn-errortype");
    JsonNode json = Json.readOrNull(body);
    if (type == null && json != null) {
      type = json.path("__type").asText(null);
    }
    return of(status, type, message(json, body));
  }

  /** An exception message of a stream that already began. */
  static GatewayException fromStream(String exceptionType, String payload) {
    JsonNode json = Json.readOrNull(payload.getBytes(StandardCharsets.UTF_8));
    int status = statusOf(name(exceptionType));
    return of(status, exceptionType, message(json, payload.getBytes(StandardCharsets.UTF_8)));
  }

  private static String message(JsonNode json, byte[] body) {
    if (json != null) {
      for (String field : new String[] {"message", "Message"}) {
        if (json.path(field).isTextual()) {
          return json.get(field).asText();
        }
      }
    }
    String snippet = new String(body, StandardCharsets.UTF_8).strip();
    return snippet.length() > MAX_SNIPPET ? snippet.substring(0, MAX_SNIPPET) + "..." : snippet;
  }

  /** {@code ThrottlingException:http://internal...} or {@code throttlingException} → name. */
  private static String name(String type) {
    if (type == null || type.isBlank()) {
      return "";
    }
    String name = type;
    int colon = name.indexOf(':');
    if (colon > 0) {
      name = name.substring(0, colon);
    }
    int hash = name.lastIndexOf('#');
    if (hash >= 0) {
      name = name.substring(hash + 1);
    }
    // nothing left ("com.amazon#", ":...") is no name, as no type at all
    return name.isEmpty() ? "" : Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  private static int statusOf(String name) {
    return switch (name) {
      case "ValidationException" -> 400;
      case "AccessDeniedException" -> 403;
      case "ResourceNotFoundException" -> 404;
      case "ThrottlingException", "ServiceQuotaExceededException", "ModelNotReadyException" -> 429;
      case "ModelTimeoutException" -> 408;
      case "ModelErrorException", "ModelStreamErrorException" -> 424;
      case "ServiceUnavailableException" -> 503;
      default -> 500;
    };
  }

  private static GatewayException of(int upstreamStatus, String type, String message) {
    String name = name(type);
    int status;
    String openAiType;
    boolean retryable;
    String code = name.isEmpty() ? Integer.toString(upstreamStatus) : name;
    switch (name) {
      case "ValidationException" -> {
        status = 400;
        openAiType = "invalid_request_error";
        retryable = false;
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("too long") || lower.contains("context") && lower.contains("exceed")) {
          code = "context_length_exceeded";
        }
      }
      case "UnrecognizedClientException",
          "InvalidSignatureException",
          "IncompleteSignatureException",
          "ExpiredTokenException",
          "MissingAuthenticationTokenException" -> {
        status = 401;
        openAiType = "authentication_error";
        retryable = false;
      }
      case "AccessDeniedException" -> {
        status = 403;
        openAiType = "permission_error";
        retryable = false;
      }
      case "ResourceNotFoundException" -> {
        status = 404;
        openAiType = "not_found_error";
        retryable = false;
      }
      case "ThrottlingException", "ServiceQuotaExceededException" -> {
        status = 429;
        openAiType = "rate_limit_error";
        retryable = true;
      }
      case "ModelNotReadyException", "ServiceUnavailableException" -> {
        status = 503;
        openAiType = "server_error";
        retryable = true;
      }
      case "ModelTimeoutException" -> {
        status = 408;
        openAiType = "timeout";
        retryable = true;
      }
      case "ModelErrorException", "ModelStreamErrorException" -> {
        status = 502;
        openAiType = "upstream_error";
        retryable = true;
      }
      case "InternalServerException" -> {
        status = 500;
        openAiType = "server_error";
        retryable = true;
      }
      default -> {
        status = upstreamStatus;
        openAiType = GatewayException.typeForStatus(upstreamStatus);
        retryable = GatewayException.isRetryableStatus(upstreamStatus);
      }
    }
    String text = message.isEmpty() ? "Bedrock returned HTTP " + upstreamStatus : message;
    return new GatewayException(status, openAiType, text, null, code, retryable);
  }
}
