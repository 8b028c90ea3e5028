package io.feathergate.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/** The one Jackson setup of the gateway: every JSON read and write goes through it. */
public final class Json {

  /**
   * Request bodies may carry base64 images of tens of megabytes: the string limit follows the
   * largest body the gateway accepts rather than Jackson's default.
   */
  private static final int MAX_STRING_LENGTH = 256 * 1024 * 1024;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  // buffers pooled by this factory, not in thread-locals of the container's
                  // threads:
                  // those would keep an undeployed WAR's class loader alive
                  .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build())
                  .build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

  /**
   * A tree as compact JSON text. Unlike {@code JsonNode.toString()}, which goes through Jackson's
   * internal mapper and its thread-local buffers, this uses the gateway's pooled mapper.
   */
  public static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // a tree built in memory always serialises; this would be a Jackson defect
      throw new IllegalStateException("JSON tree not serialisable", e);
    }
  }

  /** Parses a body, or returns null when it is not JSON: for upstream bodies of any quality. */
  public static JsonNode readOrNull(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** A tree (or any value the mapper writes) as compact JSON bytes. */
  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      // a tree built in memory always serialises; this would be a Jackson defect
      throw new IllegalStateException("JSON value not serialisable", e);
    }
  }

  /** Whether the text is exactly one well-formed JSON object (whitespace around it allowed). */
  public static boolean isObject(String text) {
    return JsonSyntax.isObject(text);
  }

  /** {@link #isObject(String)} for UTF-8 bytes. */
  public static boolean isObject(byte[] json) {
    return JsonSyntax.isObject(json);
  }

  /**
   * The object as JSON bytes with one field's value replaced (or added last), without copying or
   * changing the object: how a pass-through request gets its upstream model name. Written through
   * the mapper, so that its pooled output buffers serve here too.
   */
  public static byte[] bytesWithField(ObjectNode object, String field, String value) {
    try {
      return MAPPER.writeValueAsBytes(new FieldReplaced(object, field, value));
    } catch (JsonProcessingException e) {
      // a tree of JSON nodes always serialises
      throw new IllegalStateException(e);
    }
  }

  /** Serialises an object node with one field replaced, as it goes. */
  private record FieldReplaced(ObjectNode object, String field, String value)
      implements JsonSerializable {
    @Override
    public void serialize(JsonGenerator generator, SerializerProvider serializers)
        throws IOException {
      generator.writeStartObject();
      boolean written = false;
      for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = fields.next();
        if (entry.getKey().equals(field)) {
          generator.writeStringField(field, value);
          written = true;
        } else {
          generator.writeFieldName(entry.getKey());
          entry.getValue().serialize(generator, serializers);
        }
      }
      if (!written) {
        generator.writeStringField(field, value);
      }
      generator.writeEndObject();
    }

    @Override
    public void serializeWithType(
        JsonGenerator generator, SerializerProvider serializers, TypeSerializer typeSerializer)
        throws IOException {
      serialize(generator, serializers);
    }
  }
}
