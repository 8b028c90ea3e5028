package io.feathergate.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.DeploymentNames;
import io.feathergate.core.RedisStatus;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.routing.DeploymentHealth;
import io.feathergate.wire.Json;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Locale;

/**
 * LiteLLM's probe routes: liveness says the process answers, readiness (public, so it names no
 * file, model or key) that its config is usable, and {@code /health} (master key required) each
 * deployment's state from what the gateway has seen, or from its probes when {@code
 * background_health_checks} is on.
 */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
  @Context private ServletContext servletContext;

  @GET
  public Response health() {
    ApiServices services = ApiServices.of(servletContext);
    if (services == null) {
      throw GatewayException.internal("The gateway failed to start; see its log.");
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode healthy = body.putArray("healthy_endpoints");
    ArrayNode unhealthy = body.putArray("unhealthy_endpoints");
    for (DeploymentHealth.Status status : services.health().snapshot()) {
      (status.healthy() ? healthy : unhealthy).add(endpoint(status));
    }
    body.put("healthy_count", healthy.size());
    body.put("unhealthy_count", unhealthy.size());
    body.put("live_feed_subscribers", services.liveFeed().subscribers());
    ApiServices.Management management = services.management();
    if (management != null) {
      ObjectNode database = body.putObject("key_database");
      database.put("status", management.database().up() ? "healthy" : "unhealthy");
      database.put("since", management.database().since().toString());
      if (management.database().problem() != null) {
        database.put("error", management.database().problem());
      }
      database.put("pending_spend_log_rows", management.ledger().pendingRows());
      database.put("dropped_spend_log_rows", management.ledger().droppedRows());
    }
    RedisStatus redis = services.redis();
    if (redis != null) {
      ObjectNode shared = body.putObject("redis");
      shared.put("status", redis.up() ? "healthy" : "unhealthy");
      shared.put("where", redis.where());
      shared.put("since", redis.since().toString());
      if (redis.problem() != null) {
        shared.put("error", redis.problem());
      }
      shared.put("failed_commands", redis.failures());
      shared.put("dropped_updates", redis.droppedUpdates());
    }
    return Response.ok(body).build();
  }

  /** One deployment: names and state only; never a key, never an upstream's error text. */
  private static ObjectNode endpoint(DeploymentHealth.Status status) {
    Deployment deployment = status.deployment();
    ObjectNode endpoint = Json.MAPPER.createObjectNode();
    endpoint.put("model", DeploymentNames.litellmModelName(deployment));
    endpoint.put("model_name", deployment.modelGroup());
    endpoint.put("model_id", deployment.id());
    endpoint.put("api_base", DeploymentNames.apiBase(deployment));
    endpoint.put("custom_llm_provider", deployment.provider());
    endpoint.put("state", status.state().name().toLowerCase(Locale.ROOT));
    endpoint.put("consecutive_failures", status.consecutiveFailures());
    if (status.lastStatus() != 0) {
      endpoint.put("last_error_status", status.lastStatus());
    }
    if (status.lastCheckedEpochMillis() != 0) {
      endpoint.put(
          "last_checked", Instant.ofEpochMilli(status.lastCheckedEpochMillis()).toString());
    }
    if (status.cooldownUntilEpochMillis() != 0) {
      endpoint.put(
          "cooldown_until", Instant.ofEpochMilli(status.cooldownUntilEpochMillis()).toString());
    }
    if (deployment.unavailableReason() != null) {
      endpoint.put("error", deployment.unavailableReason());
    }
    return endpoint;
  }

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
    ApiServices.Management management = services.management();
    body.put(
        "db",
        management == null
            ? "Not connected"
            : management.database().up() ? "connected" : "disconnected");
    // LiteLLM names the cache's type here, null without one
    body.put("cache", services.cache() == null ? null : services.cache().store().type());
    body.put("litellm_version", services.version());
    ArrayNode callbacks = body.putArray("success_callbacks");
    if (services.config().settings().prometheusMetrics()) {
      callbacks.add("prometheus");
    }
    // public: what a probe needs and LiteLLM's keys, nothing about files, models or subscribers
    return Response.ok(body).build();
  }
}
