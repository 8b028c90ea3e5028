package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.jersey.server.ContainerRequest;

/** Every failure in the Jersey resources becomes an OpenAI error body with a fitting status. */
@jakarta.ws.rs.ext.Provider
public final class ErrorMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

  /**
   * The current request, for its id. A provider lives as long as the application, so a request
   * injected directly would be a generated proxy; Jersey hands its own request object through a
   * {@code Provider} as it is, and its properties are the servlet request's attributes.
   */
  @Inject private Provider<ContainerRequest> request;

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
          new Object[] {failure.getClass().getName(), requestId()});
      error = GatewayException.internal("Internal server error.");
      builder = Response.status(500);
    }
    error.headers().forEach(builder::header);
    return builder
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(ErrorResponses.body(error, requestId()))
        .build();
  }

  /** The id {@link RequestIdFilter} gave the request, or null outside a request. */
  private String requestId() {
    try {
      return request.get().getProperty(RequestIdFilter.ATTRIBUTE) instanceof String id ? id : null;
    } catch (RuntimeException e) {
      // no request in scope: the error is answered without an id
      return null;
    }
  }

  private static GatewayException fromStatus(int status, WebApplicationException web) {
    return ErrorResponses.forStatus(
        status, null, null, web.getResponse().getStatusInfo().getReasonPhrase());
  }
}
