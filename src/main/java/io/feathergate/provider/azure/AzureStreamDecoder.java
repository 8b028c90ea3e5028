package io.feathergate.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Azure's stream as OpenAI clients expect it. Azure opens with a chunk that has {@code
 * "choices":[]}, an empty id, object and model, {@code "created":0} and the prompt's {@code
 * prompt_filter_results}; with the asynchronous filter it sends annotation chunks whose choices
 * have {@code content_filter_results} and offsets but no {@code delta}. Clients that index {@code
 * choices[0]} or read {@code delta} break on both, and strict ones on the empty id and object. So:
 * choices without a delta are dropped (or given an empty one when they carry the finish), a chunk
 * left without choices is dropped unless it carries usage, and an empty id, object, model or
 * created is filled with the stream's own. Everything else is the OpenAI decoder's, byte for byte:
 * only chunks without a {@code "delta"} are parsed here at all.
 */
final class AzureStreamDecoder implements StreamDecoder {
  private static final String DELTA = "\"delta\"";

  private final StreamDecoder openAi;
  private final StreamContext context;
  private final List<String> relayed = new ArrayList<>(2);

  /** The stream's own id, model and created, from its first full chunk. */
  private String id;

  private String model;
  private long created;

  AzureStreamDecoder(StreamDecoder openAi, StreamContext context) {
    this.openAi = openAi;
    this.context = context;
  }

  @Override
  public void onEvent(SseEvent event, List<String> out) {
    relayed.clear();
    openAi.onEvent(event, relayed);
    for (String chunk : relayed) {
      String normal = normalise(chunk);
      if (normal != null) {
        out.add(normal);
      }
    }
  }

  /** The chunk as clients expect it, or null when nothing of it is left for them. */
  String normalise(String chunk) {
    if (chunk.contains(DELTA) && id != null) {
      return chunk;
    }
    JsonNode root = Json.readOrNull(chunk.getBytes(StandardCharsets.UTF_8));
    if (!(root instanceof ObjectNode object)) {
      return chunk;
    }
    boolean changed = false;
    if (object.get("choices") instanceof ArrayNode choices) {
      ArrayNode kept = object.arrayNode();
      for (JsonNode choice : choices) {
        if (choice.has("delta")) {
          kept.add(choice);
        } else if (choice instanceof ObjectNode finishing
            && finishing.hasNonNull("finish_reason")) {
          finishing.putObject("delta");
          kept.add(finishing);
          changed = true;
        } else {
          changed = true; // an annotation: the filter's verdict on text already sent
        }
      }
      if (kept.isEmpty() && !object.hasNonNull("usage")) {
        return null; // prompt filter results, or annotations only
      }
      object.set("choices", kept);
    }
    if (remember(object)) {
      return chunk.contains(DELTA) && !changed ? chunk : Json.text(object);
    }
    return Json.text(fill(object));
  }

  /** Keeps the stream's own id, model and created; true when the chunk needs no filling. */
  private boolean remember(ObjectNode chunk) {
    String chunkId = chunk.path("id").asText("");
    boolean complete =
        !chunkId.isEmpty()
            && !chunk.path("model").asText("").isEmpty()
            && chunk.path("created").asLong(0) != 0
            && "chat.completion.chunk".equals(chunk.path("object").asText(""));
    if (complete && id == null) {
      id = chunkId;
      model = chunk.get("model").asText();
      created = chunk.get("created").asLong();
    }
    return complete;
  }

  private ObjectNode fill(ObjectNode chunk) {
    if (chunk.path("id").asText("").isEmpty()) {
      chunk.put("id", id != null ? id : context == null ? "chatcmpl-azure" : context.responseId());
    }
    if (!"chat.completion.chunk".equals(chunk.path("object").asText(""))) {
      chunk.put("object", "chat.completion.chunk");
    }
    if (chunk.path("created").asLong(0) == 0) {
      chunk.put(
          "created", id != null ? created : context == null ? 0 : context.createdEpochSeconds());
    }
    if (chunk.path("model").asText("").isEmpty()) {
      chunk.put("model", model != null ? model : context == null ? "" : context.upstreamModel());
    }
    return chunk;
  }

  @Override
  public void onEnd(List<String> out) {
    openAi.onEnd(out);
  }

  @Override
  public TokenUsage usage() {
    return openAi.usage();
  }
}
