package io.feathergate.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.io.IOException;

/**
 * Finds the {@code "usage":{...}} object in an OpenAI answer or chunk without parsing the rest:
 * OpenAI answers pass through untouched, so this only searches for the key and parses the one
 * object after it. A {@code "usage"} inside message text is escaped ({@code \"usage\"}) and never
 * matches.
 */
final class UsageScanner {
  private static final byte[] KEY = {'"', 'u', 's', 'a', 'g', 'e', '"'};

  private UsageScanner() {}

  /** {@link #find(byte[])} for a chunk's text; allocates nothing when the key is absent. */
  static TokenUsage find(String json) {
    return json.lastIndexOf("\"usage\"") < 0
        ? null
        : find(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The usage in a JSON body or an SSE frame, or null when there is none (or it is null). */
  static TokenUsage find(byte[] bytes) {
    // usage comes last in OpenAI bodies and in the last chunk of a stream: search backwards
    for (int at = lastIndexOf(bytes, bytes.length - KEY.length); at >= 0; ) {
      int open = skipToObject(bytes, at + KEY.length);
      if (open >= 0) {
        return parse(bytes, open);
      }
      at = lastIndexOf(bytes, at - 1);
    }
    return null;
  }

  private static int lastIndexOf(byte[] bytes, int from) {
    outer:
    for (int i = Math.min(from, bytes.length - KEY.length); i >= 0; i--) {
      for (int j = 0; j < KEY.length; j++) {
        if (bytes[i + j] != KEY[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The offset of the '{' after {@code "usage"}, whitespace and a colon; -1 if not an object. */
  private static int skipToObject(byte[] bytes, int from) {
    boolean colon = false;
    for (int i = from; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == ':' && !colon) {
        colon = true;
      } else if (b == '{' && colon) {
        return i;
      } else if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return -1;
      }
    }
    return -1;
  }

  private static TokenUsage parse(byte[] bytes, int open) {
    try (JsonParser parser = Json.MAPPER.createParser(bytes, open, bytes.length - open)) {
      JsonNode usage = parser.readValueAsTree();
      return TokenUsage.of(usage);
    } catch (IOException e) {
      return null; // not JSON after all: no usage to report
    }
  }
}
