package io.feathergate.api;

import io.feathergate.core.GatewayException;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /admin/events}: the live feed as server-sent events, one {@code request} event per
 * finished request (the access-log record), after the most recent ones. Needs the master key, as
 * every route but the public ones.
 */
@Path("/admin/events")
public final class EventsResource {
  @Context private ServletContext servletContext;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(@Context SseEventSink sink, @Context Sse sse) {
    ApiServices services = ApiServices.of(servletContext);
    if (services == null) {
      throw GatewayException.internal("The gateway failed to start; see its log.");
    }
    if (!services.liveFeed().subscribe(sink, sse)) {
      sink.close();
      throw new GatewayException(
          503,
          "service_unavailable",
          "The live feed has its maximum of " + LiveFeed.MAX_SUBSCRIBERS + " subscribers.",
          null,
          "503",
          true);
    }
  }
}
