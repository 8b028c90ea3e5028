package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.responses.ResponseStore;
import io.feathergate.core.responses.StoredResponse;
import io.feathergate.wire.Json;
import java.time.Instant;
import java.util.UUID;

/**
 * One request to the Responses API, shared by its reader and its dialect: the response's id and
 * time, what the client asked for (echoed in the response object), the conversation it continues,
 * and where the finished response is kept.
 */
final class ResponsesTurn {
  private final ResponseStore store;
  private final String owner;

  /** The id of a response the gateway writes (a bridged one); unguessable, as it reads it back. */
  private final String hex = UUID.randomUUID().toString().replace("-", "");

  private final long createdAt = Instant.now().getEpochSecond();

  /** The client's body, once read. */
  private ObjectNode request = Json.MAPPER.createObjectNode();

  /** This request's input items, normalised. */
  private ArrayNode input = Json.MAPPER.createArrayNode();

  /** The conversation before this request ({@code previous_response_id}), oldest first. */
  private ArrayNode history = Json.MAPPER.createArrayNode();

  ResponsesTurn(ResponseStore store, String owner) {
    this.store = store;
    this.owner = owner;
  }

  void read(ObjectNode clientRequest, ArrayNode inputItems, ArrayNode earlierItems) {
    this.request = clientRequest;
    this.input = inputItems;
    this.history = earlierItems;
  }

  String responseId() {
    return "resp_" + hex;
  }

  /**
   * The id of the output item at {@code index}, of a kind ({@code msg}, {@code fc}, {@code rs}).
   */
  String itemId(String kind, int index) {
    return kind + "_" + hex + String.format("%04x", index);
  }

  long createdAt() {
    return createdAt;
  }

  ObjectNode request() {
    return request;
  }

  /**
   * Keeps a finished response, unless the client said {@code store: false}: synchronously, so that
   * a request naming it as {@code previous_response_id} finds it as soon as this one's client has
   * it. Failed responses are not continued, and not kept.
   */
  void record(JsonNode response) {
    if (!request.path("store").asBoolean(true) || !response.isObject()) {
      return;
    }
    String status = response.path("status").asText("");
    String id = response.path("id").asText("");
    if (id.isEmpty() || !(status.equals("completed") || status.equals("incomplete"))) {
      return;
    }
    ArrayNode conversation = history.deepCopy();
    conversation.addAll(input);
    for (JsonNode item : response.path("output")) {
      conversation.add(item);
    }
    ArrayNode inputItems = Json.MAPPER.createArrayNode();
    for (int i = 0; i < input.size(); i++) {
      ObjectNode item = ((ObjectNode) input.get(i)).deepCopy();
      if (!item.hasNonNull("id")) {
        item.put("id", "msg_" + hex + "i" + String.format("%04x", i));
      }
      inputItems.add(item);
    }
    store.put(
        new StoredResponse(
            id, owner, Json.bytes(response), Json.bytes(inputItems), Json.bytes(conversation)));
  }
}
