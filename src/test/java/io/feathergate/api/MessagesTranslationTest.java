package io.feathergate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic's Messages API read into the chat schema, and chat answers framed back into it. */
class MessagesTranslationTest {
  private final ToolNames toolNames = new ToolNames();
  private final MessagesRequestReader reader =
      new MessagesRequestReader(NativeRequest.Operation.CREATE, toolNames);

  private ChatRequest read(String body) {
    return reader.read(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The events of a stream's frames, as name and data JSON. */
  private static List<JsonNode> events(byte[] frames) {
    List<JsonNode> events = new ArrayList<>();
    for (String frame : new String(frames, StandardCharsets.UTF_8).split("\n\n")) {
      if (frame.isBlank()) {
        continue;
      }
      String[] lines = frame.split("\n");
      assertThat(lines[0]).startsWith("event: ");
      JsonNode data =
          Json.readOrNull(lines[1].substring("data: ".length()).getBytes(StandardCharsets.UTF_8));
      assertThat(data.path("type").asText()).isEqualTo(lines[0].substring("event: ".length()));
      events.add(data);
    }
    return events;
  }

  @Test
  void aUserTurnsToolResultsComeFirstThenItsOtherBlocks() {
    ChatRequest request =
        read(
            """
            {"model":"m","max_tokens":10,"system":[{"type":"text","text":"A"},{"type":"text","text":"B"}],
             "messages":[
              {"role":"user","content":"go"},
              {"role":"assistant","content":[{"type":"text","text":"calling"},
                {"type":"tool_use","id":"t1","name":"shot","input":{"x":1}}]},
              {"role":"user","content":[
                {"type":"text","text":"here"},
                {"type":"tool_result","tool_use_id":"t1","content":[
                  {"type":"text","text":"done"},
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAA"}}]},
                {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVB"}}]}]}
            """);

    JsonNode messages = request.body().get("messages");
    assertThat(messages.get(0).path("content").asText()).isEqualTo("A\n\nB");
    assertThat(messages.get(2).at("/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"x\":1}");
    assertThat(messages.get(2).path("content").asText()).isEqualTo("calling");
    assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
    assertThat(messages.get(3).path("content").asText()).isEqualTo("done");
    JsonNode after = messages.get(4).path("content");
    assertThat(after.get(0).path("text").asText()).isEqualTo("here");
    assertThat(after.get(1).at("/image_url/url").asText()).isEqualTo("data:image/png;base64,AAA");
    assertThat(after.get(2).at("/file/file_data").asText())
        .isEqualTo("data:application/pdf;base64,JVB");
    assertThat(request.nativeRequest().untranslatable()).isNull();
  }

  @Test
  void whatOnlyAnthropicHasIsNamedNotDropped() {
    ChatRequest request =
        read(
            """
            {"model":"m","max_tokens":10,"mcp_servers":[{"type":"url","url":"https://x"}],
             "messages":[{"role":"user","content":"hi"}]}
            """);

    assertThat(request.nativeRequest().untranslatable()).contains("'mcp_servers'");
    assertThat(request.body().has("mcp_servers")).isFalse();
    assertThat(request.nativeRequest().body().has("mcp_servers")).isTrue();
  }

  @Test
  void requiredFieldsAreCheckedInAnthropicsWords() {
    assertThatThrownBy(() -> read("{\"model\":\"m\",\"max_tokens\":10}"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.getMessage()).isEqualTo("messages: Field required"));
    assertThatThrownBy(() -> read("{\"model\":\"m\",\"max_tokens\":0,\"messages\":[]}"))
        .hasMessage("max_tokens: Input should be a positive integer");
  }

  @Test
  void aStreamIsOneBlockAtATimeWithItsOwnIndex() {
    MessagesStream stream = new MessagesStream(toolNames);
    String longName = "mcp__server__" + "n".repeat(70);
    String shortName = toolNames.shortened(longName);
    List<JsonNode> events = new ArrayList<>();
    for (String delta :
        List.of(
            "{\"role\":\"assistant\",\"reasoning_content\":\"hmm\"}",
            "{\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"sig\"}]}",
            "{\"content\":\"Hi\"}",
            "{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\""
                + shortName
                + "\",\"arguments\":\"\"}}]}",
            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":\"}}]}",
            "{\"tool_calls\":[{\"index\":1,\"id\":\"c2\",\"function\":{\"name\":\"two\",\"arguments\":\"{}\"}}]}",
            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]}")) {
      events.addAll(
          events(
              stream.chunk(
                  "{\"id\":\"chatcmpl-9\",\"model\":\"gpt\",\"choices\":[{\"index\":0,\"delta\":"
                      + delta
                      + ",\"finish_reason\":null}]}")));
    }
    events.addAll(
        events(
            stream.chunk(
                "{\"id\":\"chatcmpl-9\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":"
                    + "\"tool_calls\"}],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":9,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":20}}}")));
    events.addAll(events(stream.end(new TokenUsage(30, 9, 39))));

    List<String> shape = new ArrayList<>();
    for (JsonNode event : events) {
      String type = event.path("type").asText();
      String detail =
          switch (type) {
            case "content_block_start" ->
                event.path("index").asInt() + ":" + event.at("/content_block/type").asText();
            case "content_block_delta" ->
                event.path("index").asInt() + ":" + event.at("/delta/type").asText();
            case "content_block_stop" -> event.path("index").asText();
            default -> "";
          };
      shape.add(type + (detail.isEmpty() ? "" : " " + detail));
    }
    assertThat(shape)
        .containsExactly(
            "message_start",
            "content_block_start 0:thinking",
            "content_block_delta 0:thinking_delta",
            "content_block_delta 0:signature_delta",
            "content_block_stop 0",
            "content_block_start 1:text",
            "content_block_delta 1:text_delta",
            "content_block_stop 1",
            "content_block_start 2:tool_use",
            "content_block_delta 2:input_json_delta",
            "content_block_stop 2",
            "content_block_start 3:tool_use",
            "content_block_delta 3:input_json_delta",
            // a late fragment of the first call still names the first call's block
            "content_block_delta 2:input_json_delta",
            "content_block_stop 3",
            "message_delta",
            "message_stop");
    assertThat(events.get(8).at("/content_block/name").asText()).isEqualTo(longName);
    assertThat(events.get(0).at("/message/id").asText()).isEqualTo("msg_9");
    JsonNode messageDelta = events.get(events.size() - 2);
    assertThat(messageDelta.at("/delta/stop_reason").asText()).isEqualTo("tool_use");
    assertThat(messageDelta.at("/usage/input_tokens").asLong()).isEqualTo(10);
    assertThat(messageDelta.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(20);
    assertThat(messageDelta.at("/usage/output_tokens").asLong()).isEqualTo(9);
  }

  @Test
  void anUpstreamsEventGoesOutWithEachOfItsLines() {
    MessagesDialect dialect = new MessagesDialect(toolNames, false);

    byte[] frames = dialect.event(new io.feathergate.core.spi.SseEvent("ping", "{\n}", null));
    byte[] unnamed = dialect.event(new io.feathergate.core.spi.SseEvent(null, "{}", null));

    assertThat(new String(frames, StandardCharsets.UTF_8))
        .isEqualTo("event: ping\ndata: {\ndata: }\n\n");
    assertThat(new String(unnamed, StandardCharsets.UTF_8)).isEqualTo("data: {}\n\n");
    // the upstream's stream ends itself: nothing is added after it
    assertThat(dialect.end(null)).isEmpty();
  }

  @Test
  void anOverloadIs529AndOtherStatusesKeepTheirOwn() {
    GatewayException overloaded =
        new GatewayException(503, "overloaded_error", "Overloaded", null, "529", true);
    GatewayException openAiAuth =
        new GatewayException(
            401, "invalid_request_error", "bad key", "k", "invalid_api_key", false);

    assertThat(MessagesErrors.status(overloaded)).isEqualTo(529);
    assertThat(MessagesErrors.type(overloaded)).isEqualTo("overloaded_error");
    assertThat(MessagesErrors.status(openAiAuth)).isEqualTo(401);
    assertThat(MessagesErrors.type(openAiAuth)).isEqualTo("authentication_error");
  }
}
