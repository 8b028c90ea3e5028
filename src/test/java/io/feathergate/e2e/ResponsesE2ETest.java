package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseDeleteParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.inputitems.InputItemListParams;
import com.openai.models.responses.inputitems.ResponseItemList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Responses API passed through to OpenAI and Azure (the client's body with only {@code model}
 * replaced, the upstream's answer and named events as they came), the gateway's store behind {@code
 * previous_response_id} and {@code GET}/{@code DELETE /v1/responses/{id}}, and the requests a
 * bridged provider cannot take refused in OpenAI's words.
 */
class ResponsesE2ETest {
  static final String KEY = "sk-responses-upstream";
  static final String AZURE_KEY = "azure-responses-key";

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static OpenAIClient client;

  /** OpenAI's answer, as its API reference shows it. */
  static final String ANSWER =
      """
      {"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response",\
      "created_at":1741476542,"status":"completed","error":null,"incomplete_details":null,\
      "instructions":null,"max_output_tokens":null,"model":"gpt-4.1-2025-04-14","output":[{\
      "type":"message","id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b",\
      "status":"completed","role":"assistant","content":[{"type":"output_text",\
      "text":"In a peaceful grove beneath a silver moon...","annotations":[]}]}],\
      "parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,\
      "summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},\
      "tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":{\
      "input_tokens":36,"input_tokens_details":{"cached_tokens":0},"output_tokens":87,\
      "output_tokens_details":{"reasoning_tokens":0},"total_tokens":123},"user":null,\
      "metadata":{}}""";

  static final String STREAM_ID = "resp_stream0001";

  /** OpenAI's stream for a short text answer, event by event. */
  static final List<String> STREAM =
      List.of(
          event(
              "response.created",
              "\"response\":{\"id\":\""
                  + STREAM_ID
                  + "\",\"object\":\"response\",\"created_at\":1741290958,\"status\":"
                  + "\"in_progress\",\"model\":\"gpt-4.1\",\"output\":[]}",
              0),
          event(
              "response.in_progress",
              "\"response\":{\"id\":\""
                  + STREAM_ID
                  + "\",\"object\":\"response\",\"created_at\":1741290958,\"status\":"
                  + "\"in_progress\",\"model\":\"gpt-4.1\",\"output\":[]}",
              1),
          event(
              "response.output_item.added",
              "\"output_index\":0,\"item\":{\"id\":\"msg_s1\",\"type\":\"message\",\"status\":"
                  + "\"in_progress\",\"role\":\"assistant\",\"content\":[]}",
              2),
          event(
              "response.content_part.added",
              "\"item_id\":\"msg_s1\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":"
                  + "\"output_text\",\"text\":\"\",\"annotations\":[]}",
              3),
          event(
              "response.output_text.delta",
              "\"item_id\":\"msg_s1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"",
              4),
          event(
              "response.output_text.delta",
              "\"item_id\":\"msg_s1\",\"output_index\":0,\"content_index\":0,\"delta\":\" there\"",
              5),
          event(
              "response.output_text.done",
              "\"item_id\":\"msg_s1\",\"output_index\":0,\"content_index\":0,\"text\":\"Hi there\"",
              6),
          event(
              "response.content_part.done",
              "\"item_id\":\"msg_s1\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":"
                  + "\"output_text\",\"text\":\"Hi there\",\"annotations\":[]}",
              7),
          event(
              "response.output_item.done",
              "\"output_index\":0,\"item\":{\"id\":\"msg_s1\",\"type\":\"message\",\"status\":"
                  + "\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
                  + "\"text\":\"Hi there\",\"annotations\":[]}]}",
              8),
          event(
              "response.completed",
              "\"response\":{\"id\":\""
                  + STREAM_ID
                  + "\",\"object\":\"response\",\"created_at\":1741290958,\"status\":"
                  + "\"completed\",\"model\":\"gpt-4.1\",\"output\":[{\"id\":\"msg_s1\",\"type\":"
                  + "\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{"
                  + "\"type\":\"output_text\",\"text\":\"Hi there\",\"annotations\":[]}]}],"
                  + "\"usage\":{\"input_tokens\":9,\"output_tokens\":2,\"total_tokens\":11}}",
              9));

  static String event(String type, String fields, int sequence) {
    return "event: "
        + type
        + "\ndata: {\"type\":\""
        + type
        + "\",\"sequence_number\":"
        + sequence
        + ","
        + fields
        + "}\n\n";
  }

  static final String CLAUDE_ANSWER =
      "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
          + "\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"Bonjour.\"}],"
          + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,"
          + "\"output_tokens\":3}}";

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: gpt
                litellm_params:
                  model: openai/gpt-4.1
                  api_base: %1$s/v1
                  api_key: %2$s
              - model_name: gpt-azure
                litellm_params:
                  model: azure/my-gpt
                  api_base: %1$s
                  api_key: %3$s
                  api_version: "2025-03-01-preview"
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_base: %1$s
                  api_key: %2$s
              - model_name: demo
                litellm_params:
                  model: openai/demo
                  mock_response: Hello from the mock.
            litellm_settings:
              callbacks: ["prometheus"]
            """
                .formatted(upstream.origin(), KEY, AZURE_KEY));
    client = ClientSide.sdk(gateway, "unused");
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void answer() {
    upstream.forget();
    upstream.respondWith(
        (request, reply) -> {
          if (request.path().startsWith("/v1/messages")) {
            reply.json(200, CLAUDE_ANSWER);
          } else if (ClientSide.parse(request.body()).path("stream").asBoolean(false)) {
            reply.startStream();
            for (String event : STREAM) {
              reply.chunk(event);
            }
            reply.endStream();
          } else {
            reply.json(200, ANSWER);
          }
        });
  }

  static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).GET());
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void openAiGetsTheClientsBodyAndTheClientOpenAisAnswer() throws Exception {
    Response response =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt")
                    .input("Tell me a three sentence bedtime story about a unicorn.")
                    .build());

    assertThat(response.id()).isEqualTo("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b");
    assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(123);
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/responses");
    assertThat(sent.headers()).containsEntry("authorization", "Bearer " + KEY);
    JsonNode body = ClientSide.parse(sent.body());
    assertThat(body.path("model").asText()).isEqualTo("gpt-4.1");
    assertThat(body.path("input").asText()).startsWith("Tell me a three sentence");
    // kept: readable through the gateway by its id
    HttpResponse<String> read = get("/v1/responses/" + response.id());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(ClientSide.parse(read.body())).isEqualTo(ClientSide.parse(ANSWER));
  }

  @Test
  void openAisStreamGoesThroughAsItCame() throws Exception {
    double tokens = ClientSide.metricSum(gateway, "litellm_output_tokens_total", "");
    HttpResponse<String> raw =
        ClientSide.postTo(
            gateway, "/v1/responses", "{\"model\":\"gpt\",\"input\":\"hi\",\"stream\":true}");
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream =
        client
            .responses()
            .createStreaming(ResponseCreateParams.builder().model("gpt").input("hi").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.body()).isEqualTo(String.join("", STREAM));
    assertThat(accumulator.response().id()).isEqualTo(STREAM_ID);
    assertThat(accumulator.response().output().get(0).message().orElseThrow().content().get(0))
        .satisfies(c -> assertThat(c.outputText().orElseThrow().text()).isEqualTo("Hi there"));
    assertThat(get("/v1/responses/" + STREAM_ID).statusCode()).isEqualTo(200);
    // the usage of both streams' response.completed is counted
    assertThat(ClientSide.metricSum(gateway, "litellm_output_tokens_total", "") - tokens)
        .isEqualTo(4.0);
  }

  @Test
  void azureGetsItsResponsesUrlWithTheDeploymentAsModel() throws Exception {
    client
        .responses()
        .create(ResponseCreateParams.builder().model("gpt-azure").input("hi").build());

    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/openai/responses?api-version=2025-03-01-preview");
    assertThat(sent.headers()).containsEntry("api-key", AZURE_KEY);
    assertThat(ClientSide.parse(sent.body()).path("model").asText()).isEqualTo("my-gpt");
  }

  @Test
  void aConversationMovesBetweenProvidersThroughTheStore() throws Exception {
    // bridged first: Anthropic answers; then OpenAI continues it without knowing the first id
    Response first =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("claude")
                    .instructions("Answer in French.")
                    .input("Say hello.")
                    .build());
    Response second =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt")
                    .previousResponseId(first.id())
                    .input("And goodbye?")
                    .build());

    assertThat(first.id()).startsWith("resp_");
    JsonNode toClaude = ClientSide.parse(upstream.takeRequest().body());
    assertThat(toClaude.path("system").toString()).contains("Answer in French.");
    JsonNode toOpenAi = ClientSide.parse(upstream.takeRequest().body());
    assertThat(toOpenAi.has("previous_response_id")).isFalse();
    JsonNode input = toOpenAi.path("input");
    assertThat(input).hasSize(3);
    assertThat(input.get(0).path("content").asText()).isEqualTo("Say hello.");
    assertThat(input.get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(input.get(1).at("/content/0/text").asText()).isEqualTo("Bonjour.");
    assertThat(input.get(1).has("id")).isFalse();
    assertThat(input.get(2).path("content").asText()).isEqualTo("And goodbye?");
    assertThat(second.id()).startsWith("resp_67ccd2");
  }

  @Test
  void inputItemsAndDeleteAsOpenAiServesThem() throws Exception {
    Response response =
        client
            .responses()
            .create(ResponseCreateParams.builder().model("claude").input("One question.").build());

    ResponseItemList items =
        client
            .responses()
            .inputItems()
            .list(InputItemListParams.builder().responseId(response.id()).build())
            .response();
    assertThat(items.data()).hasSize(1);
    assertThat(
            items
                .data()
                .get(0)
                .responseInputMessageItem()
                .orElseThrow()
                .content()
                .get(0)
                .inputText())
        .hasValueSatisfying(t -> assertThat(t.text()).isEqualTo("One question."));
    Response read = client.responses().retrieve(response.id());
    assertThat(read.id()).isEqualTo(response.id());

    client.responses().delete(ResponseDeleteParams.builder().responseId(response.id()).build());

    assertThatThrownBy(() -> client.responses().retrieve(response.id()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("not found");
    HttpResponse<String> gone = get("/v1/responses/" + response.id() + "/input_items");
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(ClientSide.parse(gone.body()).at("/error/message").asText())
        .isEqualTo("Response with id '" + response.id() + "' not found.");
  }

  @Test
  void storeFalseKeepsNothing() throws Exception {
    Response response =
        client
            .responses()
            .create(
                ResponseCreateParams.builder().model("claude").input("hi").store(false).build());

    assertThat(get("/v1/responses/" + response.id()).statusCode()).isEqualTo(404);
    HttpResponse<String> next =
        ClientSide.postTo(
            gateway,
            "/v1/responses",
            "{\"model\":\"claude\",\"input\":\"more\",\"previous_response_id\":\""
                + response.id()
                + "\"}");
    assertThat(next.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(next.body()).at("/error/message").asText())
        .contains(response.id(), "not in the gateway's store", "claude");
  }

  @Test
  void whatChatCannotCarryIsRefusedForABridgedProviderAndPassedToOpenAi() throws Exception {
    String body =
        "{\"model\":\"%s\",\"input\":\"Latest news?\",\"tools\":[{\"type\":\"web_search\"}]}";

    HttpResponse<String> bridged =
        ClientSide.postTo(gateway, "/v1/responses", body.formatted("claude"));
    HttpResponse<String> native_ =
        ClientSide.postTo(gateway, "/v1/responses", body.formatted("gpt"));

    assertThat(bridged.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(bridged.body()).at("/error/message").asText())
        .contains("Tool type 'web_search'", "claude");
    assertThat(native_.statusCode()).isEqualTo(200);
    assertThat(upstream.requestsReceived()).isEqualTo(1);
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/responses");
    assertThat(ClientSide.parse(sent.body()).at("/tools/0/type").asText()).isEqualTo("web_search");
  }

  @Test
  void aMockDeploymentAnswersInTheResponsesApi() throws Exception {
    Response response =
        client.responses().create(ResponseCreateParams.builder().model("demo").input("hi").build());

    assertThat(response.output().get(0).message().orElseThrow().content().get(0).outputText())
        .hasValueSatisfying(t -> assertThat(t.text()).isEqualTo("Hello from the mock."));
  }

  @Test
  void badRequestsAreRefusedInOpenAisWords() throws Exception {
    HttpResponse<String> noInput =
        ClientSide.postTo(gateway, "/v1/responses", "{\"model\":\"gpt\"}");
    HttpResponse<String> badItem =
        ClientSide.postTo(
            gateway, "/responses", "{\"model\":\"gpt\",\"input\":[{\"role\":\"robot\"}]}");
    HttpResponse<String> badCall =
        ClientSide.postTo(
            gateway,
            "/v1/responses",
            "{\"model\":\"gpt\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}");

    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(noInput.body()).at("/error/param").asText()).isEqualTo("input");
    assertThat(badItem.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(badItem.body()).at("/error/param").asText())
        .isEqualTo("input[0].role");
    assertThat(badCall.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(badCall.body()).at("/error/message").asText())
        .contains("input[0].call_id");
    assertThat(upstream.requestsReceived()).isZero();
    assertThatThrownBy(() -> client.responses().retrieve("resp_unknown"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () ->
                client
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model("claude")
                            .input("x")
                            .background(true)
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Background mode");
  }
}
