package io.feathergate.standalone;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the gateway (an ambiguous URI, a malformed
 * request line or header, oversized headers, an unknown HTTP version), in the gateway's OpenAI
 * error shape instead of an HTML page, with an {@code x-request-id} like every other response. The
 * gateway's request-id filter never saw these requests, so the id is a new one, made the way the
 * filter makes its own. Never a stack trace, and never a message that names Jetty or a Java class:
 * Jetty's message only when it plainly describes the request's form, else the status's meaning.
 */
final class JsonErrorHandler extends ErrorHandler {
  static final String REQUEST_ID_HEADER = "x-request-id";

  /** As on every answer of the gateway: an error echoing request text is never read as HTML. */
  private static final HttpField NOSNIFF = new HttpField("X-Content-Type-Options", "nosniff");

  /** Words that give away the server software or a Java exception in a message. */
  private static final Pattern REVEALING =
      Pattern.compile("jetty|servlet|jakarta|java|exception|throwable|\\w+\\.\\w+\\.\\w+");

  private static final int MAX_MESSAGE = 200;

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String requestId = newRequestId();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(REQUEST_ID_HEADER, requestId);
    response.getHeaders().put(NOSNIFF);
    response.write(true, ByteBuffer.wrap(body(code, message, requestId)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    String requestId = newRequestId();
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    fields.put(REQUEST_ID_HEADER, requestId);
    fields.put(NOSNIFF);
    return ByteBuffer.wrap(body(status, reason, requestId));
  }

  static byte[] body(int status, String message, String requestId) {
    return ("{\"error\":{\"message\":"
            + quote(message(status, message))
            + ",\"type\":\""
            + type(status)
            + "\",\"param\":null,\"code\":\""
            + status
            + "\",\"request_id\":"
            + quote(requestId)
            + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The gateway's rule: the client's mistake for 4xx, and for 505 too (the client chose the HTTP
   * version); the server's for the rest of 5xx.
   */
  static String type(int status) {
    return status < 500 || status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505
        ? "invalid_request_error"
        : "internal_server_error";
  }

  static String message(int status, String message) {
    if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
      // Jetty's reason ("Unknown Version") does not say which versions would do
      return "Unsupported HTTP version in the request line: this server speaks HTTP/1.0 and"
          + " HTTP/1.1.";
    }
    if (status >= 500
        || message == null
        || message.isBlank()
        || message.length() > MAX_MESSAGE
        || !message.chars().allMatch(c -> c >= ' ' && c <= '~')
        || REVEALING.matcher(message.toLowerCase(Locale.ROOT)).find()) {
      String reason = HttpStatus.getMessage(status);
      return reason == null ? "HTTP error " + status : reason;
    }
    return message;
  }

  /** 32 hex digits, as the gateway's request-id filter makes them. */
  static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return hex(random.nextLong()) + hex(random.nextLong());
  }

  private static String hex(long value) {
    String digits = Long.toHexString(value);
    return "0".repeat(16 - digits.length()) + digits;
  }

  /** A JSON string literal; only Jetty's own short messages and ids pass through here. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
