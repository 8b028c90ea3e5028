package io.feathergate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.responses.InMemoryResponseStore;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** OpenAI's Responses API read into the chat schema, and chat answers framed back into it. */
class ResponsesTranslationTest {
  private final InMemoryResponseStore store = new InMemoryResponseStore();
  private final ResponsesTurn turn = new ResponsesTurn(store, null);
  private final ResponsesRequestReader reader = new ResponsesRequestReader(store, null, turn);

  private ChatRequest read(String body) {
    return reader.read(body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(String text) {
    return Json.readOrNull(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRequestBecomesTheChatRequestItMeans() {
    ChatRequest request =
        read(
            """
            {"model":"m","instructions":"Be brief.","max_output_tokens":50,"temperature":0.2,
             "stream":true,"reasoning":{"effort":"low"},"parallel_tool_calls":false,
             "text":{"format":{"type":"json_schema","name":"w","schema":{"type":"object"},"strict":true}},
             "tools":[{"type":"function","name":"get_weather","description":"d",
                       "parameters":{"type":"object"},"strict":true}],
             "tool_choice":{"type":"function","name":"get_weather"},
             "input":[
              {"role":"developer","content":"Use metric units."},
              {"role":"user","content":[{"type":"input_text","text":"Weather?"},
                 {"type":"input_image","image_url":"https://x/y.png","detail":"low"}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","call_id":"c1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
              {"type":"function_call","call_id":"c2","name":"get_weather","arguments":"{}"},
              {"type":"reasoning","id":"rs_1","summary":[]},
              {"type":"function_call_output","call_id":"c1","output":"18C"},
              {"type":"function_call_output","call_id":"c2","output":[{"type":"input_text","text":"20C"}]}]}
            """);

    assertThat(request.body())
        .isEqualTo(
            json(
                """
                {"model":"m","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"system","content":"Use metric units."},
                  {"role":"user","content":[{"type":"text","text":"Weather?"},
                     {"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}}]},
                  {"role":"assistant","content":"Checking.","tool_calls":[
                     {"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                     {"id":"c2","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":"18C"},
                  {"role":"tool","tool_call_id":"c2","content":"20C"}],
                 "max_tokens":50,"temperature":0.2,"parallel_tool_calls":false,
                 "stream":true,"stream_options":{"include_usage":true},
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"d",
                           "parameters":{"type":"object"},"strict":true}}],
                 "tool_choice":{"type":"function","function":{"name":"get_weather"}},
                 "reasoning_effort":"low",
                 "response_format":{"type":"json_schema","json_schema":{"name":"w","schema":{"type":"object"},"strict":true}}}
                """));
    assertThat(request.stream()).isTrue();
    assertThat(request.nativeRequest().untranslatable()).isNull();
  }

  @Test
  void whatChatCannotCarryIsNamedNeverDropped() {
    assertThat(
            read("""
                    {"model":"m","input":"x","tools":[{"type":"file_search","vector_store_ids":["v"]}]}
                    """)
                .nativeRequest()
                .untranslatable())
        .startsWith("Tool type 'file_search'");
    assertThat(
            read("""
                    {"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]}
                    """)
                .nativeRequest()
                .untranslatable())
        .startsWith("An input_image given by file_id");
    assertThat(
            read("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}")
                .nativeRequest()
                .untranslatable())
        .startsWith("Input item type 'item_reference'");
    assertThat(
            read("{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_nope\"}")
                .nativeRequest()
                .untranslatable())
        .contains("resp_nope");
  }

  @Test
  void malformedRequestsAreTheClientsToFix() {
    assertThatThrownBy(() -> read("{\"model\":\"m\",\"input\":[]}"))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("input"));
    assertThatThrownBy(() -> read("{\"model\":\"m\",\"input\":[\"x\"]}"))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("input[0]"));
    assertThatThrownBy(
            () ->
                read(
                    "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"n\"}]}"))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("input[0].arguments"));
    assertThatThrownBy(() -> read("{\"model\":\"m\",\"input\":\"x\",\"stream\":\"yes\"}"))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.param()).isEqualTo("stream"));
  }

  @Test
  void aStreamOfReasoningTextAndToolCallsIsAValidSequenceOfItems() {
    read("{\"model\":\"group\",\"input\":\"hi\",\"stream\":true}");
    ResponsesDialect dialect = new ResponsesDialect(turn);
    StringBuilder frames = new StringBuilder();
    for (String delta :
        new String[] {
          "{\"reasoning_content\":\"Think\"}",
          "{\"reasoning_content\":\"ing.\"}",
          "{\"content\":\"Calling.\"}",
          "{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}",
          "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]}",
          "{\"tool_calls\":[{\"index\":1,\"id\":\"c2\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}"
        }) {
      frames.append(
          new String(
              dialect.chunk(
                  "{\"id\":\"chatcmpl-1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
                      + delta
                      + "}]}"),
              StandardCharsets.UTF_8));
    }
    frames.append(
        new String(
            dialect.chunk(
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],"
                    + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}"),
            StandardCharsets.UTF_8));
    frames.append(new String(dialect.end(null), StandardCharsets.UTF_8));

    java.util.List<JsonNode> events = new java.util.ArrayList<>();
    for (String frame : frames.toString().split("\n\n")) {
      events.add(json(frame.substring(frame.indexOf("data: ") + 6)));
    }
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
    JsonNode completed = events.get(events.size() - 1);
    assertThat(completed.path("type").asText()).isEqualTo("response.completed");
    JsonNode output = completed.at("/response/output");
    assertThat(output).hasSize(4);
    assertThat(output.at("/0/summary/0/text").asText()).isEqualTo("Thinking.");
    assertThat(output.at("/1/content/0/text").asText()).isEqualTo("Calling.");
    assertThat(output.at("/2/arguments").asText()).isEqualTo("{\"a\":1}");
    assertThat(output.at("/3/call_id").asText()).isEqualTo("c2");
    assertThat(completed.at("/response/usage/total_tokens").asInt()).isEqualTo(7);
    assertThat(events)
        .anyMatch(e -> e.path("type").asText().equals("response.reasoning_summary_text.delta"))
        .anyMatch(e -> e.path("type").asText().equals("response.function_call_arguments.done"));
    // failing after the stream began ends it with response.failed
    ResponsesDialect failing = new ResponsesDialect(turn);
    failing.chunk("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Part\"}}]}");
    String failed =
        new String(
            failing.streamError(GatewayException.upstreamProtocol("cut"), "req"),
            StandardCharsets.UTF_8);
    assertThat(failed).contains("event: response.failed", "\"status\":\"failed\"");
  }

  @Test
  void aChatAnswerBecomesAResponseWithItsItemsAndUsage() {
    read(
        "{\"model\":\"group\",\"input\":\"hi\",\"max_output_tokens\":5,\"metadata\":{\"k\":\"v\"}}");
    ResponsesDialect dialect = new ResponsesDialect(turn);

    JsonNode response =
        Json.readOrNull(
            dialect.answer(
                ChatCompletion.of(
                    (com.fasterxml.jackson.databind.node.ObjectNode)
                        json(
                            """
                    {"id":"chatcmpl-1","object":"chat.completion","model":"claude-x","choices":[{"index":0,
                      "message":{"role":"assistant","content":"Let me look.","reasoning_content":"think",
                        "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                      "finish_reason":"length"}],
                     "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,
                       "prompt_tokens_details":{"cached_tokens":4},
                       "completion_tokens_details":{"reasoning_tokens":2}}}
                    """))));

    assertThat(response.path("id").asText()).isEqualTo(turn.responseId());
    assertThat(response.path("status").asText()).isEqualTo("incomplete");
    assertThat(response.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
    assertThat(response.path("model").asText()).isEqualTo("claude-x");
    assertThat(response.path("max_output_tokens").asInt()).isEqualTo(5);
    assertThat(response.at("/metadata/k").asText()).isEqualTo("v");
    assertThat(response.path("output")).hasSize(3);
    assertThat(response.at("/output/0/type").asText()).isEqualTo("reasoning");
    assertThat(response.at("/output/0/summary/0/text").asText()).isEqualTo("think");
    assertThat(response.at("/output/1/content/0/text").asText()).isEqualTo("Let me look.");
    assertThat(response.at("/output/2/call_id").asText()).isEqualTo("toolu_1");
    assertThat(response.path("usage"))
        .isEqualTo(
            json(
                """
                {"input_tokens":10,"input_tokens_details":{"cached_tokens":4},"output_tokens":5,
                 "output_tokens_details":{"reasoning_tokens":2},"total_tokens":15}
                """));
    // kept, with the conversation a next turn continues
    JsonNode conversation = Json.readOrNull(store.get(turn.responseId()).conversation());
    assertThat(conversation).hasSize(4);
    assertThat(conversation.get(0).path("content").asText()).isEqualTo("hi");
  }
}
