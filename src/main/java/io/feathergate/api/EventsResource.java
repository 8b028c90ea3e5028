package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code GET /admin/events}: the live feed as server-sent events, one {@code request} event per
 * finished request (the access-log record), after the most recent ones. Needs the master key, as
 * every route but the public ones.
 */
@Path("/admin/events")
public final class EventsResource {
  private static final Logger LOG = Logger.getLogger(EventsResource.class.getName());
  private static final String RETRY_AFTER_SECONDS = "30";

  @Context private ServletContext servletContext;
  @Context private HttpServletResponse servletResponse;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(@Context SseEventSink sink, @Context Sse sse) {
    ApiServices services = ApiServices.of(servletContext);
    if (services == null) {
      throw GatewayException.internal("The gateway failed to start; see its log.");
    }
    LiveFeed feed = services.liveFeed();
    // the place is taken before anything is written, so that a full feed answers with an error
    // body instead of an empty event stream
    if (!feed.reserve()) {
      LOG.warning(
          () ->
              "live feed subscriber refused: the feed has its maximum of "
                  + feed.maxSubscribers()
                  + " subscribers (general_settings.live_feed_max_subscribers)");
      throw new GatewayException(
              503,
              "service_unavailable",
              "The live feed has its maximum of "
                  + feed.maxSubscribers()
                  + " subscribers; try again later.",
              null,
              "503",
              true)
          .withHeaders(Map.of("retry-after", RETRY_AFTER_SECONDS));
    }
    // no chunked framing: an HTTP/1.1 server may hold a chunk's closing CRLF back until the next
    // chunk (Jetty does), and a client that reads chunks whole would then see each event only when
    // the next one comes; a body that ends with the connection has nothing to hold back
    servletResponse.setHeader("Connection", "close");
    feed.subscribe(sink, sse);
  }
}
