package io.feathergate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON Schema of an OpenAI tool or {@code response_format} into what Gemini accepts.
 *
 * <p>Current models take JSON Schema as it is ({@code parametersJsonSchema}, {@code
 * responseJsonSchema}): only the keys that are not part of a schema at all are removed. Gemini 1.x
 * and 2.0 take the older OpenAPI subset ({@code parameters}, {@code responseSchema}), a protobuf
 * message that answers 400 to any key it does not know; {@link #toOpenApi} converts to it.
 */
final class JsonSchemaToGemini {

  /** Keys of Gemini's OpenAPI {@code Schema} copied as they are. */
  private static final Set<String> OPENAPI_KEEP =
      Set.of(
          "description",
          "nullable",
          "minItems",
          "maxItems",
          "minLength",
          "maxLength",
          "pattern",
          "minimum",
          "maximum",
          "minProperties",
          "maxProperties",
          "default",
          "example",
          "propertyOrdering");

  /** The only {@code format} values the OpenAPI schema accepts, per type. */
  private static final Map<String, Set<String>> FORMATS =
      Map.of(
          "STRING", Set.of("enum", "date-time"),
          "INTEGER", Set.of("int32", "int64"),
          "NUMBER", Set.of("float", "double"));

  private JsonSchemaToGemini() {}

  /**
   * The schema for a JSON Schema field: a copy without {@code $schema} (a draft marker, not a
   * constraint) and {@code strict} (an OpenAI flag that clients sometimes put inside the schema).
   */
  static JsonNode forJsonSchemaField(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    if (copy instanceof ObjectNode object) {
      object.remove(List.of("$schema", "strict"));
    }
    return copy;
  }

  /**
   * The schema in Gemini's OpenAPI subset: {@code $ref}s into {@code $defs}/{@code definitions}
   * inlined (a recursive one becomes a plain object), {@code anyOf}/{@code oneOf}/type lists with
   * {@code null} turned into {@code nullable}, {@code const} into a one-value {@code enum}, enum
   * values into strings, types upper-case; {@code $schema}, {@code $id}, {@code title}, {@code
   * additionalProperties}, {@code strict} and every other unknown key dropped.
   */
  static ObjectNode toOpenApi(JsonNode schema) {
    ObjectNode definitions = GeminiJson.object();
    for (String key : List.of("definitions", "$defs")) {
      if (schema.get(key) instanceof ObjectNode defs) {
        definitions.setAll(defs);
      }
    }
    return new Converter(definitions).convert(schema);
  }

  private static final class Converter {
    private final ObjectNode definitions;
    private final Deque<String> resolving = new ArrayDeque<>();

    Converter(ObjectNode definitions) {
      this.definitions = definitions;
    }

    ObjectNode convert(JsonNode node) {
      if (!(node instanceof ObjectNode schema)) {
        // boolean schemas ("true": anything) have no OpenAPI form
        return GeminiJson.object();
      }
      String ref = GeminiJson.text(schema, "$ref");
      if (ref != null) {
        return resolve(ref, schema);
      }
      ObjectNode out = GeminiJson.object();
      mergeCombinators(schema, out);
      convertType(schema, out);
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String key = field.getKey();
        JsonNode value = field.getValue();
        if (OPENAPI_KEEP.contains(key)) {
          // the node's own keywords are more specific than those of a union member merged in
          out.set(key, value.deepCopy());
        } else if (key.equals("properties") && value.isObject()) {
          ObjectNode properties = out.putObject("properties");
          value.fields().forEachRemaining(p -> properties.set(p.getKey(), convert(p.getValue())));
        } else if (key.equals("items") && value.isObject()) {
          out.set("items", convert(value));
        }
      }
      copyRequired(schema, out);
      copyEnum(schema, out);
      copyFormat(schema, out);
      return out;
    }

    private ObjectNode resolve(String ref, ObjectNode schema) {
      String name = ref.substring(ref.lastIndexOf('/') + 1);
      JsonNode target = definitions.get(name);
      ObjectNode out;
      if (target == null || resolving.contains(name)) {
        // an unknown or recursive reference cannot be inlined: the model sees a free-form object
        out = GeminiJson.object();
        out.put("type", "OBJECT");
      } else {
        resolving.push(name);
        out = convert(target);
        resolving.pop();
      }
      // the referring node's own description is the more specific one
      if (schema.hasNonNull("description")) {
        out.set("description", schema.get("description").deepCopy());
      }
      return out;
    }

    private void mergeCombinators(ObjectNode schema, ObjectNode out) {
      JsonNode union = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
      if (union instanceof ArrayNode members) {
        List<JsonNode> nonNull = new ArrayList<>();
        for (JsonNode member : members) {
          if ("null".equals(GeminiJson.text(member, "type"))) {
            out.put("nullable", true);
          } else {
            nonNull.add(member);
          }
        }
        if (nonNull.size() == 1) {
          out.setAll(convert(nonNull.get(0)));
        } else if (!nonNull.isEmpty()) {
          ArrayNode anyOf = out.putArray("anyOf");
          nonNull.forEach(member -> anyOf.add(convert(member)));
        }
      }
      if (schema.get("allOf") instanceof ArrayNode parts) {
        for (JsonNode part : parts) {
          mergeInto(out, convert(part));
        }
      }
    }

    /** allOf: properties and required lists are united; any other key keeps its first value. */
    private static void mergeInto(ObjectNode out, ObjectNode part) {
      part.fields()
          .forEachRemaining(
              field -> {
                JsonNode existing = out.get(field.getKey());
                if (existing instanceof ObjectNode existingObject
                    && field.getKey().equals("properties")
                    && field.getValue().isObject()) {
                  existingObject.setAll((ObjectNode) field.getValue());
                } else if (existing instanceof ArrayNode existingArray
                    && field.getKey().equals("required")) {
                  existingArray.addAll((ArrayNode) field.getValue());
                } else if (existing == null) {
                  out.set(field.getKey(), field.getValue());
                }
              });
    }

    private static void convertType(ObjectNode schema, ObjectNode out) {
      JsonNode type = schema.get("type");
      if (type != null && type.isTextual()) {
        if (type.asText().equals("null")) {
          out.put("nullable", true);
        } else {
          out.put("type", type.asText().toUpperCase(Locale.ROOT));
        }
      } else if (type instanceof ArrayNode types) {
        List<String> named = new ArrayList<>();
        for (JsonNode t : types) {
          if (t.asText().equals("null")) {
            out.put("nullable", true);
          } else {
            named.add(t.asText().toUpperCase(Locale.ROOT));
          }
        }
        if (named.size() == 1) {
          out.put("type", named.get(0));
        } else if (named.size() > 1) {
          ArrayNode anyOf = out.putArray("anyOf");
          named.forEach(t -> anyOf.addObject().put("type", t));
        }
      }
    }

    private static void copyRequired(ObjectNode schema, ObjectNode out) {
      JsonNode required = schema.get("required");
      JsonNode properties = out.get("properties");
      if (required instanceof ArrayNode names && properties != null) {
        // Gemini rejects a required name that has no property
        ArrayNode kept = GeminiJson.array();
        names.forEach(
            name -> {
              if (properties.has(name.asText())) {
                kept.add(name.asText());
              }
            });
        out.set("required", kept);
      }
    }

    private static void copyEnum(ObjectNode schema, ObjectNode out) {
      ArrayNode values = GeminiJson.array();
      if (schema.has("const")) {
        values.add(schema.get("const"));
      } else if (schema.get("enum") instanceof ArrayNode listed) {
        values.addAll(listed);
      } else {
        return;
      }
      List<String> allowed = new ArrayList<>();
      for (JsonNode value : values) {
        if (value.isNull()) {
          out.put("nullable", true);
        } else {
          allowed.add(value.isTextual() ? value.asText() : Json.text(value));
        }
      }
      String type = GeminiJson.text(out, "type");
      if (type == null || type.equals("STRING")) {
        out.put("type", "STRING");
        ArrayNode strings = out.putArray("enum");
        allowed.forEach(strings::add);
      } else {
        // the OpenAPI enum holds strings only: a numeric one keeps its type and is described
        String description = GeminiJson.text(out, "description");
        String allowedText = "Allowed values: " + String.join(", ", allowed) + ".";
        out.put("description", description == null ? allowedText : description + " " + allowedText);
      }
    }

    private static void copyFormat(ObjectNode schema, ObjectNode out) {
      String format = GeminiJson.text(schema, "format");
      String type = GeminiJson.text(out, "type");
      Set<String> allowed = type == null ? null : FORMATS.get(type);
      if (format != null && allowed != null && allowed.contains(format)) {
        out.put("format", format);
      }
    }
  }
}
