package io.feathergate.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.wire.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gemini's embedding answers as OpenAI's list. */
class GeminiEmbeddingsTest {
  private final GeminiEmbeddings embeddings = new GeminiEmbeddings(ProviderTable.get("gemini"));

  private static ChatRequest request(String body) {
    ObjectNode json = (ObjectNode) Json.readOrNull(body.getBytes(StandardCharsets.UTF_8));
    return new ChatRequest(
        json,
        "group",
        false,
        false,
        Map.of(),
        new NativeRequest(NativeApi.OPENAI_EMBEDDINGS, NativeRequest.Operation.CREATE, json, null));
  }

  private JsonNode answer(String clientBody, String upstreamBody) {
    return Json.readOrNull(
        embeddings.answer(upstreamBody.getBytes(StandardCharsets.UTF_8), request(clientBody)));
  }

  @Test
  void vectorsKeepTheirDigitsAndTheirOrder() {
    String upstream =
        "{\"embeddings\":[{\"values\":[0.100000001,-2E-7]},{\"values\":[1,2]}],\"x\":{}}";
    String client = "{\"model\":\"group\",\"input\":[\"ab\",\"abcde\"]}";
    JsonNode list = answer(client, upstream);

    // copied as written, not parsed and printed again
    assertThat(
            new String(
                embeddings.answer(upstream.getBytes(StandardCharsets.UTF_8), request(client)),
                StandardCharsets.UTF_8))
        .contains("\"embedding\":[0.100000001,-2E-7]");
    assertThat(list.at("/data/1/index").asInt()).isEqualTo(1);
    assertThat(list.at("/data/1/embedding/1").asInt()).isEqualTo(2);
    assertThat(list.at("/usage/prompt_tokens").asLong()).isEqualTo(3);
    assertThat(list.path("object").asText()).isEqualTo("list");
  }

  @Test
  void base64IsLittleEndianFloat32() {
    JsonNode list =
        answer(
            "{\"model\":\"group\",\"input\":\"ab\",\"encoding_format\":\"base64\"}",
            "{\"embeddings\":[{\"values\":[1.5,-0.25]}]}");

    ByteBuffer floats =
        ByteBuffer.wrap(Base64.getDecoder().decode(list.at("/data/0/embedding").asText()))
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(floats.getFloat()).isEqualTo(1.5f);
    assertThat(floats.getFloat()).isEqualTo(-0.25f);
    assertThat(floats.hasRemaining()).isFalse();
  }

  @Test
  void aMissingOrBrokenVectorIsAnUpstreamProtocolError() {
    for (String broken :
        new String[] {
          "{\"embeddings\":[{\"values\":[1]}]}",
          "{\"embeddings\":[{\"values\":[\"x\"]},{\"values\":[1]}]}",
          "[]",
          "not json"
        }) {
      assertThatThrownBy(() -> answer("{\"model\":\"g\",\"input\":[\"a\",\"b\"]}", broken))
          .as(broken)
          .isInstanceOfSatisfying(
              GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
    }
  }
}
