package io.feathergate.core.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.wire.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The key of a request's entry: SHA-256 of the request as canonical JSON (fields sorted at every
 * level), with {@code model} replaced by its model group (so every deployment and alias of a group
 * shares entries, as in LiteLLM), the endpoint and the caller's scope beside it, and the fields
 * that do not shape the answer left out. The key never holds the request itself: a log or a Redis
 * key list shows only the hash.
 */
final class CacheKeys {
  /** Fields that do not change the answer: the cache's own, the router's, LiteLLM's metadata. */
  private static final Set<String> LEFT_OUT =
      Set.of(
          CacheControls.FIELD,
          "metadata",
          "litellm_metadata",
          "fallbacks",
          "context_window_fallbacks",
          "num_retries");

  private CacheKeys() {}

  /**
   * @param body the client's request body
   * @param answeringModel the model group that answers (for a wildcard group, with the model it is
   *     asked for)
   * @param endpoint which endpoint the request came to
   * @param scope who may share the entry ("" for everyone)
   * @param namespace the key's prefix, or null
   */
  static String key(
      ObjectNode body, String answeringModel, String endpoint, String scope, String namespace) {
    MessageDigest sha256 = sha256();
    try (JsonGenerator out = Json.MAPPER.getFactory().createGenerator(new Digesting(sha256))) {
      out.writeStartObject();
      out.writeStringField("endpoint", endpoint);
      out.writeStringField("scope", scope);
      out.writeFieldName("request");
      out.writeStartObject();
      for (String name : sortedNames(body)) {
        if (LEFT_OUT.contains(name) || body.get(name).isNull()) {
          continue;
        }
        out.writeFieldName(name);
        if (name.equals("model")) {
          out.writeString(answeringModel);
        } else {
          write(body.get(name), out);
        }
      }
      out.writeEndObject();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String hash = HexFormat.of().formatHex(sha256.digest());
    return namespace == null ? hash : namespace + ":" + hash;
  }

  private static void write(JsonNode node, JsonGenerator out) throws IOException {
    if (node.isObject()) {
      out.writeStartObject();
      for (String name : sortedNames(node)) {
        out.writeFieldName(name);
        write(node.get(name), out);
      }
      out.writeEndObject();
    } else if (node.isArray()) {
      out.writeStartArray();
      for (JsonNode item : node) {
        write(item, out);
      }
      out.writeEndArray();
    } else {
      out.writeTree(node);
    }
  }

  private static List<String> sortedNames(JsonNode object) {
    List<String> names = new ArrayList<>(object.size());
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    Collections.sort(names);
    return names;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Feeds what the generator writes to the digest; nothing is kept. */
  private static final class Digesting extends OutputStream {
    private final MessageDigest digest;

    Digesting(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public void write(int b) {
      digest.update((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      digest.update(bytes, offset, length);
    }
  }
}
