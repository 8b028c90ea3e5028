package io.feathergate.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonSyntaxTest {

  @Test
  void objectsAreAccepted() {
    for (String json :
        List.of(
            "{}",
            " {\"a\":1} \n",
            "{\"a\":[1,-2.5e+3,0,0.0,1E9,true,false,null,\"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"],"
                + "\"b\":{\"c\":{}},\"d\":[],\"é\":\"ünïcödé 🎉\"}",
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tick\"}}]}")) {
      assertThat(Json.isObject(json)).as(json).isTrue();
      assertThat(Json.isObject(json.getBytes(StandardCharsets.UTF_8))).as(json).isTrue();
    }
  }

  @Test
  void anythingElseIsRefused() {
    for (String json :
        List.of(
            "",
            "   ",
            "[]",
            "\"x\"",
            "1",
            "{this is not json}",
            "{\"id\":\"c\",\"choi",
            "{\"a\":1}{\"b\":2}",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":.5}",
            "{\"a\":-}",
            "{\"a\":1e}",
            "{\"a\":tru}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12g4\"}",
            "{\"a\":\"tab\tinside\"}",
            "{\"a\":[1,2}",
            "{\"a\":[1 2]}",
            "{'a':1}",
            "<html>{}</html>",
            "{\"a\":1} x")) {
      assertThat(Json.isObject(json)).as(json).isFalse();
      assertThat(Json.isObject(json.getBytes(StandardCharsets.UTF_8))).as(json).isFalse();
    }
  }

  @Test
  void deepNestingIsRefusedWithoutOverflowingTheStack() {
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThat(Json.isObject(deep)).isFalse();
    String fine = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertThat(Json.isObject(fine)).isTrue();
  }

  /** Agrees with Jackson on random mutations of a real chunk. */
  @Test
  void agreesWithJacksonOnMutatedChunks() {
    String chunk =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a \\\"b\\\" c\"},"
            + "\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":10,\"total\":1.5e2}}";
    Random random = new Random(42);
    String alphabet = "{}[]\":,.-+eE0123456789 tfnrul\\ax";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder mutated = new StringBuilder(chunk);
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(mutated.length());
        switch (random.nextInt(3)) {
          case 0 -> mutated.deleteCharAt(at);
          case 1 -> mutated.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> mutated.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String text = mutated.toString();
      assertThat(Json.isObject(text)).as(text).isEqualTo(jacksonSaysObject(text));
    }
  }

  private static boolean jacksonSaysObject(String text) {
    try (var parser = Json.MAPPER.getFactory().createParser(text)) {
      JsonNode node = Json.MAPPER.readTree(parser);
      return node != null && node.isObject() && parser.nextToken() == null;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
