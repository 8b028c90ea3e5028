package io.feathergate.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.wire.Json;
import java.util.Map;

/**
 * The request one attempt sends: the client's request with the chosen deployment's default
 * parameters where the client set none (LiteLLM's shallow merge: the client's value wins), and
 * {@code always_include_stream_usage}. The client's request is never changed, so an attempt on
 * another deployment starts again from what the client sent, not from the last deployment's
 * defaults.
 */
final class DeploymentDefaults {
  private DeploymentDefaults() {}

  static ChatRequest apply(
      ChatRequest clientRequest, Deployment deployment, GatewaySettings settings) {
    ObjectNode clientBody = clientRequest.body();
    boolean addUsage =
        clientRequest.stream()
            && settings.alwaysIncludeStreamUsage()
            && !clientRequest.includeUsage()
            && !explicitlyOff(clientBody.get("stream_options"));
    boolean addDefaults = false;
    for (String name : deployment.defaultParams().keySet()) {
      addDefaults |= !clientBody.has(name);
    }
    if (!addDefaults && !addUsage) {
      return clientRequest; // the usual case: nothing to add, nothing copied
    }
    // a shallow copy: the client's values are shared, never changed; what is added is new
    ObjectNode attemptBody = Json.MAPPER.createObjectNode().setAll(clientBody);
    for (Map.Entry<String, JsonNode> entry : deployment.defaultParams().entrySet()) {
      if (!attemptBody.has(entry.getKey())) {
        attemptBody.set(entry.getKey(), entry.getValue().deepCopy());
      }
    }
    if (addUsage) {
      ObjectNode streamOptions = Json.MAPPER.createObjectNode();
      if (attemptBody.get("stream_options") instanceof ObjectNode existing) {
        streamOptions.setAll(existing);
      }
      streamOptions.put("include_usage", true);
      attemptBody.set("stream_options", streamOptions);
    }
    // a default may have set stream or stream_options: read those two again, not the whole body
    return ChatRequests.rereadStreamFlags(clientRequest.withBody(attemptBody));
  }

  private static boolean explicitlyOff(JsonNode streamOptions) {
    return streamOptions != null && streamOptions.has("include_usage");
  }
}
