package io.feathergate.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
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
   * changing the object: how a pass-through request gets its upstream model name.
   */
  public static byte[] bytesWithField(ObjectNode object, String field, String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
      generator.writeStartObject();
      boolean written = false;
      for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = fields.next();
        if (entry.getKey().equals(field)) {
          generator.writeStringField(field, value);
          written = true;
        } else {
          generator.writeFieldName(entry.getKey());
          MAPPER.writeTree(generator, entry.getValue());
        }
      }
      if (!written) {
        generator.writeStringField(field, value);
      }
      generator.writeEndObject();
    } catch (IOException e) {
      // writing a tree of JSON nodes to memory cannot fail
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
