package io.feathergate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** LiteLLM's probe routes: liveness says the process answers, readiness that it can serve. */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
  @Context private ServletContext servletContext;

  @GET
  @Path("{name: liveliness|liveness}")
  public String liveness() {
    return "\"I'm alive!\"";
  }

  @GET
  @Path("readiness")
  public Response readiness() {
    ApiServices services = ApiServices.of(servletContext);
    ObjectNode body = Json.MAPPER.createObjectNode();
    if (services == null) {
      body.put("status", "unhealthy");
      body.put("error", "the gateway failed to start; see its log");
      return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(body).build();
    }
    body.put("status", "healthy");
    body.put("db", "Not connected");
    body.putNull("cache");
    body.put("litellm_version", services.version());
    body.putArray("success_callbacks");
    body.put("config", services.config().source());
    body.put("model_groups", services.directory().modelGroups().size());
    return Response.ok(body).build();
  }
}
