package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.responses.StoredResponse;
import io.feathergate.wire.Json;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET} and {@code DELETE /v1/responses/{id}}, and {@code GET /v1/responses/{id}/input_items}
 * (also without {@code /v1}): the responses made through the gateway, from its store, each readable
 * only with the key that made it. A response the gateway does not have (expired, deleted, made
 * elsewhere, {@code store: false}) is a 404, as OpenAI answers.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ResponsesResource {
  @Context private ServletContext servletContext;
  @Context private HttpServletRequest request;

  @GET
  @Path("{prefix: (v1/)?}responses/{id}")
  public Response get(@PathParam("id") String id) {
    return json(stored(id).response());
  }

  @DELETE
  @Path("{prefix: (v1/)?}responses/{id}")
  public ObjectNode delete(@PathParam("id") String id) {
    stored(id);
    services().responses().delete(id);
    ObjectNode deleted = Json.MAPPER.createObjectNode();
    deleted.put("id", id);
    deleted.put("object", "response");
    deleted.put("deleted", true);
    return deleted;
  }

  /**
   * OpenAI's list: newest first unless {@code order=asc}, {@code limit} 1 to 100, {@code after}.
   */
  @GET
  @Path("{prefix: (v1/)?}responses/{id}/input_items")
  public ObjectNode inputItems(
      @PathParam("id") String id,
      @QueryParam("limit") @DefaultValue("20") String limitParam,
      @QueryParam("order") @DefaultValue("desc") String order,
      @QueryParam("after") String after) {
    int limit;
    try {
      limit = Integer.parseInt(limitParam);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > 100) {
      throw GatewayException.badRequest(
          "Invalid 'limit': expected an integer from 1 to 100.", "limit");
    }
    if (!order.equals("asc") && !order.equals("desc")) {
      throw GatewayException.badRequest("Invalid 'order': expected 'asc' or 'desc'.", "order");
    }
    JsonNode items = Json.readOrNull(stored(id).inputItems());
    ArrayNode ordered = Json.MAPPER.createArrayNode();
    for (int i = 0; i < items.size(); i++) {
      ordered.add(items.get(order.equals("asc") ? i : items.size() - 1 - i));
    }
    int from = 0;
    if (after != null) {
      while (from < ordered.size() && !ordered.get(from).path("id").asText().equals(after)) {
        from++;
      }
      from++;
    }
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    for (int i = from; i < ordered.size() && data.size() < limit; i++) {
      data.add(asInputItem(ordered.get(i)));
    }
    list.set("first_id", data.isEmpty() ? null : data.get(0).get("id"));
    list.set("last_id", data.isEmpty() ? null : data.get(data.size() - 1).get("id"));
    list.put("has_more", from + data.size() < ordered.size());
    return list;
  }

  /** An item as OpenAI lists it: a message's text content as an {@code input_text} part. */
  private static JsonNode asInputItem(JsonNode item) {
    if (!item.path("content").isTextual()) {
      return item;
    }
    ObjectNode listed = item.deepCopy();
    String kind = item.path("role").asText().equals("assistant") ? "output_text" : "input_text";
    listed
        .putArray("content")
        .addObject()
        .put("type", kind)
        .put("text", item.path("content").asText());
    return listed;
  }

  private StoredResponse stored(String id) {
    StoredResponse stored = services().responses().get(id);
    if (stored == null || !stored.readableBy(AuthFilter.principalOf(request).keyHash())) {
      throw GatewayException.notFound("Response with id '" + id + "' not found.");
    }
    return stored;
  }

  private static Response json(byte[] body) {
    return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
  }

  private ApiServices services() {
    ApiServices services = ApiServices.of(servletContext);
    if (services == null) {
      throw GatewayException.internal("The gateway failed to start; see its log.");
    }
    return services;
  }
}
