package io.feathergate.api;

import io.feathergate.core.GatewayException;
import io.feathergate.wire.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes OpenAI error bodies from servlet code that has not gone asynchronous. */
final class ErrorResponses {
  private ErrorResponses() {}

  static byte[] body(GatewayException e, String requestId) {
    return ErrorBody.toJson(e.getMessage(), e.type(), e.param(), e.code(), requestId);
  }

  static void send(HttpServletRequest request, HttpServletResponse response, GatewayException e)
      throws IOException {
    byte[] body = body(e, RequestIdFilter.of(request));
    response.setStatus(e.status());
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
