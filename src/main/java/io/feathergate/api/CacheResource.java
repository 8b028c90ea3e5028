package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.cache.CacheStore;
import io.feathergate.core.cache.ResponseCache;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LiteLLM's cache routes: {@code GET /cache/ping} (is the cache there and does its store answer)
 * and {@code POST /cache/delete} ({@code {"keys": [...]}}, the keys {@code x-litellm-cache-key}
 * names). Only the master key may call them.
 */
@Path("/cache")
@Produces(MediaType.APPLICATION_JSON)
public final class CacheResource {
  private static final String ADMIN_ONLY =
      "Only the proxy admin (the master key) may manage the cache.";

  @Context private ServletContext servletContext;
  @Context private HttpServletRequest request;

  @GET
  @Path("ping")
  public ObjectNode ping() {
    AuthFilter.admin(request, ADMIN_ONLY);
    ResponseCache cache = cache();
    CacheStore store = cache.store();
    try {
      store.ping();
    } catch (IllegalStateException e) {
      throw unavailable(
          "The cache's " + store.type() + " store does not answer: " + e.getMessage());
    }
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("status", "healthy");
    answer.put("cache_type", store.type());
    answer.put("ping_response", true);
    ObjectNode params = answer.putObject("cache_params");
    params.put("ttl", cache.settings().ttl().toMillis() / 1000.0);
    params.put("namespace", cache.settings().namespace());
    params.put("mode", cache.settings().defaultOff() ? "default_off" : "default_on");
    answer.put("dropped_writes", store.droppedWrites());
    params.put("scope", cache.settings().scope().name().toLowerCase(Locale.ROOT));
    return answer;
  }

  @POST
  @Path("delete")
  public ObjectNode delete(String body) {
    AuthFilter.admin(request, ADMIN_ONLY);
    List<String> keys = keys(body);
    CacheStore store = cache().store();
    long deleted;
    try {
      deleted = store.delete(keys);
    } catch (IllegalStateException e) {
      throw unavailable(
          "The cache's " + store.type() + " store does not answer: " + e.getMessage());
    }
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("status", "success");
    answer.put("deleted", deleted);
    return answer;
  }

  private static List<String> keys(String body) {
    JsonNode keys = JsonFields.objectBody(body).get("keys");
    if (keys == null || !keys.isArray()) {
      throw GatewayException.badRequest(
          "The request body must be {\"keys\": [...]}, the keys x-litellm-cache-key names.",
          "keys");
    }
    List<String> names = new ArrayList<>(keys.size());
    for (JsonNode key : keys) {
      if (!key.isTextual() || key.asText().isEmpty()) {
        throw GatewayException.badRequest("Each of 'keys' must be a cache key (text).", "keys");
      }
      names.add(key.asText());
    }
    return names;
  }

  private ResponseCache cache() {
    ApiServices services = ApiServices.of(servletContext);
    ResponseCache cache = services == null ? null : services.cache();
    if (cache == null) {
      throw unavailable(
          "The response cache is off: set litellm_settings.cache: true to turn it on.");
    }
    return cache;
  }

  private static GatewayException unavailable(String message) {
    return GatewayException.serviceUnavailable(message);
  }
}
