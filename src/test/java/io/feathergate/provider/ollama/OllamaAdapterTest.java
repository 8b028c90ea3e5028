package io.feathergate.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.transport.NdjsonDecoder;
import io.feathergate.wire.Json;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OllamaAdapterTest {
  static final OllamaAdapter ADAPTER = new OllamaAdapter(ProviderTable.get("ollama_chat"));

  static ChatRequest request(String json) {
    return ChatRequests.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aChatRequestInOllamasTerms() {
    UpstreamRequest upstream =
        ADAPTER.toUpstream(
            request(
                """
                {"model":"m","max_tokens":64,"temperature":0.1,"stop":"END","seed":3,
                 "tool_choice":"auto","response_format":{"type":"json_object"},
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{}}}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"18C"}]}
                """),
            new Route(
                Deployment.builder("d", "g", "ollama_chat", "llama3.2")
                    .apiBase(URI.create("http://127.0.0.1:11434/v1"))
                    .build(),
                "llama3.2"));
    assertThat(upstream.uri()).hasToString("http://127.0.0.1:11434/api/chat");
    JsonNode body = Json.readOrNull(upstream.body());
    assertThat(body.get("stream").asBoolean()).isFalse();
    assertThat(body.at("/options/num_predict").asInt()).isEqualTo(64);
    assertThat(body.at("/options/stop/0").asText()).isEqualTo("END");
    assertThat(body.has("tool_choice")).isFalse();
    assertThat(body.get("format").asText()).isEqualTo("json");
    assertThat(body.at("/messages/0/images/0").asText()).isEqualTo("iVBORw0KGgo=");
    assertThat(body.at("/messages/1/tool_calls/0/function/arguments/city").asText())
        .isEqualTo("Paris");
    assertThat(body.at("/messages/2/tool_name").asText()).isEqualTo("get_weather");
    assertThat(OllamaAdapter.chatUri(URI.create("http://h:11434")))
        .hasToString("http://h:11434/api/chat");
  }

  static final String STREAM =
      "{\"model\":\"llama3.2\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"Grüße\"},\"done\":false}\n"
          + "{\"model\":\"llama3.2\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\" 🌍\"},\"done\":false}\n"
          + "{\"model\":\"llama3.2\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
          + "\"done\":true,\"done_reason\":\"length\",\"prompt_eval_count\":26,\"eval_count\":2}";

  static List<String> decode(byte[] bytes, int split) {
    NdjsonDecoder lines = new NdjsonDecoder(1 << 20);
    StreamDecoder decoder =
        ADAPTER.newStreamDecoder(
            new StreamContext(
                request(
                    "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                "llama3.2",
                "chatcmpl-gw",
                1L,
                () -> "call_x"));
    List<String> out = new ArrayList<>();
    java.util.function.Consumer<SseEvent> sink = e -> decoder.onEvent(e, out);
    lines.feed(ByteBuffer.wrap(bytes, 0, split), sink);
    lines.feed(ByteBuffer.wrap(bytes, split, bytes.length - split), sink);
    lines.finish(sink);
    decoder.onEnd(out);
    assertThat(decoder.usage().totalTokens()).isEqualTo(28);
    return out;
  }

  @Test
  void aStreamSplitAtEveryByteGivesTheSameChunks() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    List<String> whole = decode(bytes, bytes.length);
    StringBuilder text = new StringBuilder();
    for (String chunk : whole) {
      text.append(
          Json.readOrNull(chunk.getBytes(StandardCharsets.UTF_8))
              .at("/choices/0/delta/content")
              .asText(""));
    }
    assertThat(text).hasToString("Grüße 🌍");
    assertThat(whole.get(whole.size() - 1)).contains("\"finish_reason\":\"length\"");
    for (int split = 1; split < bytes.length; split++) {
      assertThat(decode(bytes, split)).isEqualTo(whole);
    }
  }
}
