package io.feathergate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Copying a client's fields into the body a translation builds. */
final class JsonFields {
  private JsonFields() {}

  /** {@code from.field} as {@code to.as}, unless absent or null. */
  static void copy(ObjectNode from, String field, ObjectNode to, String as) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull()) {
      to.set(as, value);
    }
  }
}
