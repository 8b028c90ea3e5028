package io.feathergate.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /v1/models}, {@code /models}, {@code /v1/models/{id}}: the configured model groups;
 * {@code /model/info}: their deployments.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ModelsResource {
  /** LiteLLM reports a constant creation time; clients only need a number. */
  static final long CREATED = 1677610602L;

  @Context private ServletContext servletContext;

  @GET
  @Path("{prefix: (v1/)?}models")
  public ObjectNode list() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    ApiServices services = services();
    for (String modelGroup : services.directory().modelGroups()) {
      data.add(model(modelGroup, services.directory().group(modelGroup)));
    }
    // model_group_alias names are listed too, unless marked hidden
    for (String alias : services.directory().visibleAliases()) {
      data.add(model(alias, services.directory().serving(alias)));
    }
    return root;
  }

  @GET
  @Path("{prefix: (v1/)?}models/{id: .+}")
  public ObjectNode get(@PathParam("id") String id) {
    List<Deployment> group = services().directory().group(id);
    if (group.isEmpty() && services().directory().visibleAliases().contains(id)) {
      group = services().directory().serving(id);
    }
    if (group.isEmpty()) {
      throw GatewayException.notFound(
          "The model `" + id + "` does not exist. Call `/v1/models` to view available models.");
    }
    return model(id, group);
  }

  /**
   * {@code GET /model/info}, {@code /v1/model/info}: every deployment with its {@code
   * litellm_params}, from which every credential is removed.
   */
  @GET
  @Path("{prefix: (v1/)?}model/info")
  public ObjectNode modelInfo() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (Deployment deployment : services().config().deployments()) {
      data.add(ModelInfo.of(deployment));
    }
    return root;
  }

  private static ObjectNode model(String id, List<Deployment> group) {
    ObjectNode model = Json.MAPPER.createObjectNode();
    model.put("id", id);
    model.put("object", "model");
    model.put("created", CREATED);
    model.put("owned_by", group.get(0).provider());
    // what the group does, when its deployments say so alike (model_info.mode)
    String mode = group.get(0).mode();
    if (mode != null && group.stream().allMatch(d -> mode.equals(d.mode()))) {
      model.put("mode", mode);
    }
    return model;
  }

  private ApiServices services() {
    ApiServices services = ApiServices.of(servletContext);
    if (services == null) {
      throw GatewayException.internal("The gateway failed to start; see its log.");
    }
    return services;
  }
}
