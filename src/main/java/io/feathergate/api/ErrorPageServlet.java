package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The web application's error page ({@code <error-page>} in web.xml): whatever status the container
 * or a servlet sends as an error (a request for {@code WEB-INF}, a method a servlet does not
 * handle, a failure nothing caught) reaches the client as an OpenAI error body with a request id,
 * instead of the container's HTML page that names the container and the servlet. Requested
 * directly, it is a route like any unknown one: a 404.
 */
public final class ErrorPageServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());

  /** Where web.xml maps this servlet and points its error page. */
  static final String PATH = "/feathergate-error";

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    boolean dispatched =
        request.getDispatcherType() == DispatcherType.ERROR
            && request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer;
    int status =
        dispatched ? (Integer) request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) : 404;
    String path =
        dispatched
                && request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri
            ? uri
            : request.getRequestURI();
    // errors the container raises before the filters ran (a protected path, for one) have no id
    String id = RequestIdFilter.of(request);
    if (id == null) {
      id = RequestIdFilter.newId();
      request.setAttribute(RequestIdFilter.ATTRIBUTE, id);
    }
    if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
      // the container logs the failure itself; this line ties it to the id the client was given
      LOG.log(
          Level.WARNING,
          "request {0} failed: {1}",
          new Object[] {id, failure.getClass().getName()});
    }
    String detail =
        dispatched && request.getAttribute(RequestDispatcher.ERROR_MESSAGE) instanceof String text
            ? text
            : null;
    GatewayException error = ErrorResponses.forStatus(status, request.getMethod(), path, detail);
    String contextPath = request.getContextPath();
    boolean messages =
        ExchangeRoute.isMessages(
            path.startsWith(contextPath) ? path.substring(contextPath.length()) : path);
    byte[] body = messages ? MessagesErrors.body(error, id) : ErrorResponses.body(error, id);
    response.setStatus(status);
    response.setHeader(RequestIdFilter.HEADER, id);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentType("application/json");
    response.setContentLength(body.length);
    if (!"HEAD".equals(request.getMethod())) {
      response.getOutputStream().write(body);
    }
  }
}
