package io.feathergate.api;

import io.feathergate.core.GatewayException;
import io.feathergate.wire.ErrorBody;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes OpenAI error bodies from servlet code that has not gone asynchronous. */
final class ErrorResponses {
  private ErrorResponses() {}

  static byte[] body(GatewayException e) {
    return ErrorBody.toJson(e.getMessage(), e.type(), e.param(), e.code());
  }

  static void send(HttpServletResponse response, GatewayException e) throws IOException {
    byte[] body = body(e);
    response.setStatus(e.status());
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
