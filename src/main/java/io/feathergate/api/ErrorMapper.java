package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every failure in the Jersey resources becomes an OpenAI error body with a fitting status. */
@Provider
public final class ErrorMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

  /** A proxy to the current request, for its id. */
  @Context private HttpServletRequest request;

  @Override
  public Response toResponse(Throwable failure) {
    GatewayException error;
    Response.ResponseBuilder builder;
    if (failure instanceof GatewayException gateway) {
      error = gateway;
      builder = Response.status(error.status());
    } else if (failure instanceof WebApplicationException web) {
      int status = web.getResponse().getStatus();
      error = fromStatus(status, web);
      builder = Response.status(status);
      if (failure instanceof NotAllowedException) {
        builder.header("Allow", web.getResponse().getHeaderString("Allow"));
      }
    } else {
      LOG.log(
          Level.WARNING,
          "unexpected failure in a resource: {0} (request {1})",
          new Object[] {failure.getClass().getName(), RequestIdFilter.of(request)});
      error = GatewayException.internal("Internal server error.");
      builder = Response.status(500);
    }
    error.headers().forEach(builder::header);
    return builder
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(ErrorResponses.body(error, RequestIdFilter.of(request)))
        .build();
  }

  private static GatewayException fromStatus(int status, WebApplicationException web) {
    return ErrorResponses.forStatus(
        status, null, null, web.getResponse().getStatusInfo().getReasonPhrase());
  }
}
