package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/**
 * The status page at {@code /}: one static HTML file that asks for the master key and reads {@code
 * /model/info}, {@code /health} and the live feed with it. Served here because Jersey owns {@code
 * /*}, and from {@code WEB-INF} so that no container serves it a second time.
 */
@Path("/")
public final class StatusPageResource {
  static final String PAGE = "/WEB-INF/status/index.html";

  @Context private ServletContext servletContext;

  @GET
  @Produces(MediaType.TEXT_HTML)
  public Response page() throws IOException {
    try (InputStream in = servletContext.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw GatewayException.notFound("The status page is not part of this build.");
      }
      return Response.ok(in.readAllBytes(), "text/html; charset=utf-8")
          .header("Cache-Control", "no-cache")
          // the page asks for the master key: no other site may frame it (clickjacking)
          .header("X-Frame-Options", "DENY")
          .header("Referrer-Policy", "no-referrer")
          .header(
              "Content-Security-Policy",
              "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline';"
                  + " connect-src 'self'; img-src 'self' data:; base-uri 'none';"
                  + " form-action 'none'; frame-ancestors 'none'")
          .build();
    }
  }
}
