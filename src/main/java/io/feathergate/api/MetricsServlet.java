package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /metrics}: Prometheus's servlet, which answers any other method with the container's
 * bare 405 (no body, no {@code Allow}); here those get the gateway's JSON 405 instead.
 */
public final class MetricsServlet extends PrometheusMetricsServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    String method = request.getMethod();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      super.service(request, response);
      return;
    }
    // HEAD is GET without a body, which every server must support (RFC 9110)
    response.setHeader("Allow", "GET, HEAD");
    ErrorResponses.send(
        request, response, GatewayException.methodNotAllowed(method, request.getRequestURI()));
  }
}
