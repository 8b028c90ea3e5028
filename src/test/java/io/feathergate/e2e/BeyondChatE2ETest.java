package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's endpoints beyond chat through the gateway: embeddings passed through to OpenAI, Azure
 * and an OpenAI-compatible provider with only {@code model} replaced and translated for Gemini;
 * image generation and moderations passed through; each routed, counted and refused in OpenAI's
 * words where no provider of the group serves it.
 */
class BeyondChatE2ETest {
  static final String KEY = "sk-embeddings-upstream";
  static final String AZURE_KEY = "azure-embeddings-key";

  static FakeUpstream upstream;
  static GoogleTokenEndpoint google;
  static GatewayServer gateway;
  static OpenAIClient client;

  static final String ANSWER =
      "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
          + "[0.0023064255,-0.009327292,0.015797347]},{\"object\":\"embedding\",\"index\":1,"
          + "\"embedding\":[0.0011,0.0022,-0.0033]}],\"model\":\"text-embedding-3-small\","
          + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    google = new GoogleTokenEndpoint();
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: embed
                litellm_params:
                  model: openai/text-embedding-3-small
                  api_base: %1$s/v1
                  api_key: %2$s
              - model_name: embed-azure
                litellm_params:
                  model: azure/my-embeddings
                  api_base: %1$s
                  api_key: %3$s
                  api_version: "2024-10-21"
              - model_name: embed-mistral
                litellm_params:
                  model: mistral/mistral-embed
                  api_base: %1$s/v1
                  api_key: %2$s
              - model_name: embed-gemini
                litellm_params:
                  model: gemini/text-embedding-004
                  api_base: %1$s
                  api_key: %2$s
              - model_name: image
                litellm_params:
                  model: openai/gpt-image-1
                  api_base: %1$s/v1
                  api_key: %2$s
              - model_name: image-azure
                litellm_params:
                  model: azure/my-dalle
                  api_base: %1$s
                  api_key: %3$s
                  api_version: "2024-10-21"
              - model_name: moderation
                litellm_params:
                  model: openai/omni-moderation-latest
                  api_base: %1$s/v1
                  api_key: %2$s
              - model_name: instruct
                litellm_params:
                  model: openai/gpt-3.5-turbo-instruct
                  api_base: %1$s/v1
                  api_key: %2$s
              - model_name: embed-vertex
                litellm_params:
                  model: vertex_ai/text-embedding-005
                  api_base: %1$s
                  vertex_project: %4$s
                  vertex_location: us-central1
                  vertex_credentials: '%5$s'
              - model_name: vertex-*
                litellm_params:
                  model: vertex_ai/*
                  api_base: %1$s
                  vertex_project: %4$s
                  vertex_location: us-central1
                  vertex_credentials: '%5$s'
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_base: %1$s
                  api_key: %2$s
              - model_name: claude-dropping
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_base: %1$s
                  api_key: %2$s
                  drop_params: true
              - model_name: mixed
                litellm_params:
                  model: openai/gpt-4o
                  api_base: %1$s/v1
                  api_key: %2$s
                model_info:
                  mode: chat
              - model_name: mixed
                litellm_params:
                  model: openai/text-embedding-3-large
                  api_base: %1$s/v1
                  api_key: %2$s
                model_info:
                  mode: embedding
              - model_name: embed-only
                litellm_params:
                  model: openai/text-embedding-3-small
                  api_base: %1$s/v1
                  api_key: %2$s
                model_info:
                  mode: embedding
              - model_name: embed-ollama
                litellm_params:
                  model: ollama/nomic-embed-text
                  api_base: %1$s
              - model_name: demo
                litellm_params:
                  model: openai/demo
                  mock_response: hi
              - model_name: rerank-cohere
                litellm_params:
                  model: cohere/rerank-v3.5
                  api_base: %1$s
                  api_key: %2$s
              - model_name: rerank-jina
                litellm_params:
                  model: jina_ai/jina-reranker-v2-base-multilingual
                  api_base: %1$s/v1
                  api_key: %2$s
              - model_name: rerank-vllm
                litellm_params:
                  model: hosted_vllm/BAAI/bge-reranker-v2-m3
                  api_base: %1$s/v1
            litellm_settings:
              callbacks: ["prometheus"]
            """
                .formatted(
                    upstream.origin(),
                    KEY,
                    AZURE_KEY,
                    GoogleTokenEndpoint.PROJECT,
                    google.serviceAccountJson()));
    client = ClientSide.sdk(gateway, "unused");
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    gateway.close();
    upstream.close();
    google.close();
  }

  /** Gemini's answer: one vector per request of the batch, in order. */
  static final String GEMINI_ANSWER =
      "{\"embeddings\":[{\"values\":[0.5,-0.25,1.0]},{\"values\":[0.125,2.0,-1.5]}]}";

  @BeforeEach
  void answer() {
    upstream.forget();
    upstream.respondWith((request, reply) -> reply.json(200, ANSWER));
  }

  @Test
  void theOfficialClientGetsTheUpstreamsVectorsInInputOrder() throws Exception {
    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("embed")
                    .inputOfArrayOfStrings(List.of("first", "second"))
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .dimensions(3)
                    .build());

    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(0).index()).isZero();
    assertThat(response.data().get(0).embedding())
        .containsExactly(0.0023064255f, -0.009327292f, 0.015797347f);
    assertThat(response.usage().promptTokens()).isEqualTo(8);
    FakeUpstream.Received received = upstream.takeRequest();
    assertThat(received.path()).isEqualTo("/v1/embeddings");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + KEY);
    JsonNode sent = ClientSide.parse(received.body());
    assertThat(sent.path("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(sent.path("input")).hasSize(2);
    assertThat(sent.path("dimensions").asInt()).isEqualTo(3);
    assertThat(sent.path("encoding_format").asText()).isEqualTo("float");
  }

  @Test
  void base64AndTokenArraysPassThroughAndAnEmptyFormatIsNotForwarded() throws Exception {
    String base64Answer =
        "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
            + "\"AAAAAAAAgD8=\"}],\"model\":\"m\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";
    upstream.respondWith((request, reply) -> reply.json(200, base64Answer));

    HttpResponse<String> base64 =
        ClientSide.postTo(
            gateway,
            "/v1/embeddings",
            "{\"model\":\"embed\",\"input\":[[1,2,3]],\"encoding_format\":\"base64\"}");
    HttpResponse<String> empty =
        ClientSide.postTo(
            gateway,
            "/embeddings",
            "{\"model\":\"embed\",\"input\":\"hi\",\"encoding_format\":null,\"num_retries\":1}");

    assertThat(base64.statusCode()).as(base64.body()).isEqualTo(200);
    assertThat(base64.body()).isEqualTo(base64Answer);
    JsonNode first = ClientSide.parse(upstream.takeRequest().body());
    assertThat(first.path("encoding_format").asText()).isEqualTo("base64");
    assertThat(first.path("input").get(0)).hasSize(3);
    assertThat(empty.statusCode()).as(empty.body()).isEqualTo(200);
    JsonNode second = ClientSide.parse(upstream.takeRequest().body());
    assertThat(second.has("encoding_format")).isFalse();
    // the router's own fields are for the gateway, never for the upstream
    assertThat(second.has("num_retries")).isFalse();
  }

  @Test
  void azureGetsItsDeploymentsEmbeddingsUrlAndKey() throws Exception {
    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(EmbeddingCreateParams.builder().model("embed-azure").input("hello").build());

    assertThat(response.data()).isNotEmpty();
    FakeUpstream.Received received = upstream.takeRequest();
    assertThat(received.path())
        .isEqualTo("/openai/deployments/my-embeddings/embeddings?api-version=2024-10-21");
    assertThat(received.headers()).containsEntry("api-key", AZURE_KEY);
  }

  @Test
  void anOpenAiCompatibleProviderIsPassedThroughToo() throws Exception {
    client
        .embeddings()
        .create(EmbeddingCreateParams.builder().model("embed-mistral").input("bonjour").build());

    FakeUpstream.Received received = upstream.takeRequest();
    assertThat(received.path()).isEqualTo("/v1/embeddings");
    assertThat(ClientSide.parse(received.body()).path("model").asText()).isEqualTo("mistral-embed");
  }

  @Test
  void geminiGetsOneBatchAndTheClientOpenAisListInInputOrder() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, GEMINI_ANSWER));

    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("embed-gemini")
                    .inputOfArrayOfStrings(List.of("first", "second"))
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .dimensions(3)
                    .build());

    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(1).index()).isEqualTo(1);
    assertThat(response.data().get(1).embedding()).containsExactly(0.125f, 2.0f, -1.5f);
    // Gemini counts no tokens: five and six characters, a quarter each, rounded up
    assertThat(response.usage().promptTokens()).isEqualTo(4);
    FakeUpstream.Received received = upstream.takeRequest();
    assertThat(received.path()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
    assertThat(received.headers()).containsEntry("x-goog-api-key", KEY);
    JsonNode requests = ClientSide.parse(received.body()).path("requests");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).path("model").asText()).isEqualTo("models/text-embedding-004");
    assertThat(requests.get(1).at("/content/parts/0/text").asText()).isEqualTo("second");
    assertThat(requests.get(0).path("outputDimensionality").asInt()).isEqualTo(3);
  }

  @Test
  void vertexGetsOnePredictCallWithItsTokenAndCountsTheTokensItReports() throws Exception {
    upstream.respondWith(
        (request, reply) ->
            reply.json(
                200,
                "{\"predictions\":[{\"embeddings\":{\"values\":[0.5,1.5],\"statistics\":"
                    + "{\"token_count\":3,\"truncated\":false}}},{\"embeddings\":{\"values\":"
                    + "[2.5,3.5],\"statistics\":{\"token_count\":4,\"truncated\":false}}}]}"));

    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("embed-vertex")
                    .inputOfArrayOfStrings(List.of("first", "second"))
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .dimensions(2)
                    .putAdditionalBodyProperty(
                        "input_type", com.openai.core.JsonValue.from("retrieval_query"))
                    .build());

    assertThat(response.data().get(1).embedding()).containsExactly(2.5f, 3.5f);
    assertThat(response.usage().promptTokens()).isEqualTo(7);
    FakeUpstream.Received received = upstream.takeRequest();
    assertThat(received.path())
        .isEqualTo(
            "/v1/projects/"
                + GoogleTokenEndpoint.PROJECT
                + "/locations/us-central1/publishers/google/models/text-embedding-005:predict");
    assertThat(google.authorized(received)).as("a token the service account obtained").isTrue();
    JsonNode sent = ClientSide.parse(received.body());
    assertThat(sent.at("/instances/1/content").asText()).isEqualTo("second");
    assertThat(sent.at("/parameters/outputDimensionality").asInt()).isEqualTo(2);
    assertThat(sent.at("/instances/0/task_type").asText()).isEqualTo("RETRIEVAL_QUERY");
  }

  @Test
  void aModelNameCannotSteerTheVertexUrl() throws Exception {
    for (String model : List.of("vertex-../../../v1/evil", "vertex-x?alt=1", "vertex-a/b")) {
      HttpResponse<String> response =
          ClientSide.postTo(
              gateway, "/v1/embeddings", "{\"model\":\"" + model + "\",\"input\":\"x\"}");

      assertThat(response.statusCode()).as(model).isEqualTo(400);
      assertThat(ClientSide.parse(response.body()).at("/error/param").asText()).isEqualTo("model");
    }
    assertThat(upstream.requestsReceived()).isZero();
  }

  @Test
  void geminiVectorsAreBase64EncodedByTheGatewayWhenAskedFor() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, GEMINI_ANSWER));

    HttpResponse<String> response =
        ClientSide.postTo(
            gateway,
            "/v1/embeddings",
            "{\"model\":\"embed-gemini\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\","
                + "\"task_type\":\"semantic_similarity\"}");
    JsonNode batch = ClientSide.parse(upstream.takeRequest().body());
    HttpResponse<String> tokens =
        ClientSide.postTo(
            gateway, "/v1/embeddings", "{\"model\":\"embed-gemini\",\"input\":[[1,2]]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String encoded = ClientSide.parse(response.body()).at("/data/0/embedding").asText();
    java.nio.ByteBuffer floats =
        java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(encoded))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(new float[] {floats.getFloat(), floats.getFloat(), floats.getFloat()})
        .containsExactly(0.5f, -0.25f, 1.0f);
    assertThat(floats.hasRemaining()).isFalse();
    assertThat(batch.at("/requests/1/taskType").asText()).isEqualTo("SEMANTIC_SIMILARITY");
    assertThat(tokens.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(tokens.body()).at("/error/message").asText())
        .contains("embed-gemini", "token ids");
  }

  static final String IMAGE_ANSWER =
      "{\"created\":1713833628,\"data\":[{\"b64_json\":\"iVBORw0KGgo=\"}],\"usage\":"
          + "{\"total_tokens\":100,\"input_tokens\":50,\"output_tokens\":50}}";

  static final String MODERATION_ANSWER =
      "{\"id\":\"modr-1\",\"model\":\"omni-moderation-latest\",\"results\":[{\"flagged\":"
          + "true,\"categories\":{\"violence\":true},\"category_scores\":{\"violence\":0.93}}]}";

  @Test
  void imagesAreGeneratedByOpenAiAndAzureAsTheyAnswer() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, IMAGE_ANSWER));

    ImagesResponse openAi =
        client
            .images()
            .generate(ImageGenerateParams.builder().model("image").prompt("a red fox").build());
    FakeUpstream.Received toOpenAi = upstream.takeRequest();
    ImagesResponse azure =
        client
            .images()
            .generate(
                ImageGenerateParams.builder().model("image-azure").prompt("a red fox").build());
    FakeUpstream.Received toAzure = upstream.takeRequest();

    assertThat(openAi.data().orElseThrow().get(0).b64Json()).contains("iVBORw0KGgo=");
    assertThat(azure.data().orElseThrow()).hasSize(1);
    assertThat(toOpenAi.path()).isEqualTo("/v1/images/generations");
    JsonNode sent = ClientSide.parse(toOpenAi.body());
    assertThat(sent.path("model").asText()).isEqualTo("gpt-image-1");
    assertThat(sent.path("prompt").asText()).isEqualTo("a red fox");
    assertThat(toAzure.path())
        .isEqualTo("/openai/deployments/my-dalle/images/generations?api-version=2024-10-21");
    assertThat(toAzure.headers()).containsEntry("api-key", AZURE_KEY);
    HttpResponse<String> noPrompt =
        ClientSide.postTo(gateway, "/v1/images/generations", "{\"model\":\"image\"}");
    assertThat(noPrompt.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(noPrompt.body()).at("/error/param").asText()).isEqualTo("prompt");
  }

  @Test
  void moderationsPassThrough() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, MODERATION_ANSWER));

    ModerationCreateResponse response =
        client
            .moderations()
            .create(
                ModerationCreateParams.builder()
                    .model("moderation")
                    .input("I will hurt you")
                    .build());

    assertThat(response.results().get(0).flagged()).isTrue();
    FakeUpstream.Received received = upstream.takeRequest();
    assertThat(received.path()).isEqualTo("/v1/moderations");
    assertThat(ClientSide.parse(received.body()).path("input").asText())
        .isEqualTo("I will hurt you");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + KEY);
  }

  static final String COMPLETION =
      "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":"
          + "\"gpt-3.5-turbo-instruct\",\"choices\":[{\"text\":\"This is a test.\",\"index\":0,"
          + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,"
          + "\"completion_tokens\":5,\"total_tokens\":10}}";

  static String completionChunk(String text, String finish) {
    return "data: {\"id\":\"cmpl-2\",\"object\":\"text_completion\",\"created\":1,\"model\":"
        + "\"gpt-3.5-turbo-instruct\",\"choices\":[{\"text\":\""
        + text
        + "\",\"index\":0,\"logprobs\":null,\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"")
        + "}]}\n\n";
  }

  @Test
  void legacyCompletionsPassThroughWholeAndStreamed() throws Exception {
    upstream.respondWith(
        (request, reply) -> {
          if (!ClientSide.parse(request.body()).path("stream").asBoolean(false)) {
            reply.json(200, COMPLETION);
            return;
          }
          reply.startStream();
          reply.chunk(completionChunk("This", null));
          reply.chunk(completionChunk(" is a test.", "stop"));
          reply.chunk("data: [DONE]\n\n");
          reply.endStream();
        });

    Completion whole =
        client
            .completions()
            .create(
                CompletionCreateParams.builder()
                    .model("instruct")
                    .prompt("Say this is a test")
                    .maxTokens(7)
                    .build());
    FakeUpstream.Received wholeRequest = upstream.takeRequest();
    StringBuilder streamed = new StringBuilder();
    try (StreamResponse<Completion> stream =
        client
            .completions()
            .createStreaming(
                CompletionCreateParams.builder()
                    .model("instruct")
                    .prompt("Say this is a test")
                    .build())) {
      stream.stream().forEach(chunk -> streamed.append(chunk.choices().get(0).text()));
    }
    upstream.takeRequest();
    HttpResponse<String> raw =
        ClientSide.postTo(
            gateway,
            "/v1/completions",
            "{\"model\":\"instruct\",\"prompt\":[\"a\"],\"stream\":true}");

    assertThat(whole.choices().get(0).text()).isEqualTo("This is a test.");
    assertThat(wholeRequest.path()).isEqualTo("/v1/completions");
    assertThat(ClientSide.parse(wholeRequest.body()).path("model").asText())
        .isEqualTo("gpt-3.5-turbo-instruct");
    assertThat(streamed.toString()).isEqualTo("This is a test.");
    assertThat(raw.statusCode()).isEqualTo(200);
    // the upstream's own events, and one [DONE]: the gateway's
    assertThat(raw.body())
        .isEqualTo(
            completionChunk("This", null)
                + completionChunk(" is a test.", "stop")
                + "data: [DONE]\n\n");
  }

  @Test
  void completionsForAChatOnlyProviderGoThroughChat() throws Exception {
    upstream.respondWith(
        (request, reply) ->
            reply.json(
                200,
                "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                    + "\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"Hi!\"}],"
                    + "\"stop_reason\":\"max_tokens\",\"usage\":{\"input_tokens\":3,"
                    + "\"output_tokens\":2}}"));

    Completion whole =
        client
            .completions()
            .create(
                CompletionCreateParams.builder()
                    .model("claude")
                    .prompt("Say hi")
                    .maxTokens(2)
                    .build());
    JsonNode sent = ClientSide.parse(upstream.takeRequest().body());
    StringBuilder streamed = new StringBuilder();
    try (StreamResponse<Completion> stream =
        client
            .completions()
            .createStreaming(
                CompletionCreateParams.builder().model("demo").prompt("Say hi").build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> streamed.append(c.text())));
    }

    assertThat(whole.choices()).hasSize(1);
    assertThat(whole.choices().get(0).text()).isEqualTo("Hi!");
    assertThat(whole.choices().get(0).finishReason())
        .isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.LENGTH);
    assertThat(whole.usage().orElseThrow().totalTokens()).isEqualTo(5);
    assertThat(sent.at("/messages/0/content").toString()).contains("Say hi");
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(2);
    assertThat(streamed.toString()).isEqualTo("hi");
  }

  @Test
  void whatOnlyTextCompletionsHaveIsRefusedForAChatOnlyProvider() throws Exception {
    HttpResponse<String> echo =
        ClientSide.postTo(
            gateway,
            "/v1/completions",
            "{\"model\":\"claude\",\"prompt\":\"Say hi\",\"echo\":true}");
    HttpResponse<String> twoPrompts =
        ClientSide.postTo(
            gateway,
            "/v1/completions",
            "{\"model\":\"claude\",\"prompt\":[\"a\",\"b\"],\"stream\":true}");
    HttpResponse<String> tokens =
        ClientSide.postTo(gateway, "/completions", "{\"model\":\"claude\",\"prompt\":[1,2,3]}");
    HttpResponse<String> noPrompt =
        ClientSide.postTo(gateway, "/completions", "{\"model\":\"instruct\"}");

    assertThat(echo.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(echo.body()).at("/error/message").asText())
        .contains("'echo'", "drop_params", "claude");
    assertThat(twoPrompts.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(twoPrompts.body()).at("/error/message").asText())
        .contains("stream of several prompts");
    assertThat(tokens.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(tokens.body()).at("/error/message").asText()).contains("token ids");
    assertThat(noPrompt.statusCode()).isEqualTo(400);
    assertThat(upstream.requestsReceived()).isZero();
  }

  @Test
  void aListOfPromptsToAChatOnlyProviderGetsOneChoicePerPromptInOrder() throws Exception {
    upstream.respondWith(
        (request, reply) -> {
          String prompt = ClientSide.parse(request.body()).at("/messages/0/content").toString();
          String answer = prompt.contains("first") ? "One." : "Two.";
          if (prompt.contains("first")) {
            Thread.sleep(50); // the first prompt's answer comes last
          }
          reply.json(
              200,
              "{\"id\":\"msg_03\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                  + "\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\""
                  + answer
                  + "\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":4,"
                  + "\"output_tokens\":2}}");
        });

    Completion completion =
        client
            .completions()
            .create(
                CompletionCreateParams.builder()
                    .model("claude")
                    .promptOfArrayOfStrings(List.of("Say first", "Say second"))
                    .build());

    assertThat(completion.choices()).hasSize(2);
    assertThat(completion.choices().get(0).text()).isEqualTo("One.");
    assertThat(completion.choices().get(0).index()).isZero();
    assertThat(completion.choices().get(1).text()).isEqualTo("Two.");
    assertThat(completion.choices().get(1).index()).isEqualTo(1);
    assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(12);
    assertThat(upstream.requestsReceived()).isEqualTo(2);
  }

  @Test
  void dropParamsLetsTextCompletionParametersGoUnsent() throws Exception {
    upstream.respondWith(
        (request, reply) ->
            reply.json(
                200,
                "{\"id\":\"msg_02\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                    + "\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],"
                    + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,"
                    + "\"output_tokens\":1}}"));

    HttpResponse<String> response =
        ClientSide.postTo(
            gateway,
            "/v1/completions",
            "{\"model\":\"claude-dropping\",\"prompt\":\"Say ok\",\"echo\":true,\"logprobs\":2}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(ClientSide.parse(response.body()).at("/choices/0/text").asText()).isEqualTo("ok");
    String sent = upstream.takeRequest().body();
    assertThat(sent).doesNotContain("echo", "logprobs");
  }

  @Test
  void modelInfoModeChoosesTheDeploymentAndRefusesTheWrongEndpoint() throws Exception {
    for (int i = 0; i < 6; i++) {
      client.embeddings().create(EmbeddingCreateParams.builder().model("mixed").input("x").build());
      assertThat(ClientSide.parse(upstream.takeRequest().body()).path("model").asText())
          .isEqualTo("text-embedding-3-large");
    }
    HttpResponse<String> chat =
        ClientSide.postTo(
            gateway,
            "/v1/chat/completions",
            "{\"model\":\"embed-only\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> models = ClientSide.get(gateway, "/v1/models");

    assertThat(chat.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(chat.body()).at("/error/message").asText())
        .contains("embed-only", "embedding", "/v1/embeddings");
    assertThat(upstream.requestsReceived()).isZero();
    JsonNode listed = ClientSide.parse(models.body()).path("data");
    for (JsonNode model : listed) {
      if (model.path("id").asText().equals("embed-only")) {
        assertThat(model.path("mode").asText()).isEqualTo("embedding");
      }
      if (model.path("id").asText().equals("mixed")) {
        assertThat(model.has("mode")).isFalse();
      }
    }
  }

  @Test
  void ollamaGetsItsEmbedCallAndReportsItsTokenCount() throws Exception {
    upstream.respondWith(
        (request, reply) ->
            reply.json(
                200,
                "{\"model\":\"nomic-embed-text\",\"embeddings\":[[0.5,-0.25],[1.0,2.0]],"
                    + "\"total_duration\":14143917,\"prompt_eval_count\":6}"));

    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("embed-ollama")
                    .inputOfArrayOfStrings(List.of("first", "second"))
                    .dimensions(2)
                    .build());

    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(1).embedding()).containsExactly(1.0f, 2.0f);
    assertThat(response.data().get(1).index()).isEqualTo(1);
    assertThat(response.usage().promptTokens()).isEqualTo(6);
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/api/embed");
    JsonNode body = ClientSide.parse(sent.body());
    assertThat(body.path("model").asText()).isEqualTo("nomic-embed-text");
    assertThat(body.path("input").toString()).isEqualTo("[\"first\",\"second\"]");
    assertThat(body.path("dimensions").asInt()).isEqualTo(2);
  }

  /** Cohere's rerank answer. */
  static final String RERANK_ANSWER =
      "{\"id\":\"07734bd2\",\"results\":[{\"index\":1,\"relevance_score\":0.9},"
          + "{\"index\":0,\"relevance_score\":0.1}],\"meta\":{\"billed_units\":"
          + "{\"search_units\":1}}}";

  @Test
  void rerankGoesToCohereJinaAndVllmInCoheresShape() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, RERANK_ANSWER));
    String body =
        "{\"model\":\"%s\",\"query\":\"capital of the US?\",\"documents\":[\"Carson City is"
            + " in Nevada.\",\"Washington, D.C. is the capital.\"],\"top_n\":2}";

    HttpResponse<String> cohere =
        ClientSide.postTo(gateway, "/v1/rerank", body.formatted("rerank-cohere"));
    FakeUpstream.Received toCohere = upstream.takeRequest();
    HttpResponse<String> jina =
        ClientSide.postTo(gateway, "/rerank", body.formatted("rerank-jina"));
    FakeUpstream.Received toJina = upstream.takeRequest();
    HttpResponse<String> vllm =
        ClientSide.postTo(gateway, "/v2/rerank", body.formatted("rerank-vllm"));
    FakeUpstream.Received toVllm = upstream.takeRequest();

    for (HttpResponse<String> response : List.of(cohere, jina, vllm)) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(ClientSide.parse(response.body())).isEqualTo(ClientSide.parse(RERANK_ANSWER));
    }
    assertThat(toCohere.path()).isEqualTo("/v2/rerank");
    assertThat(toCohere.headers()).containsEntry("authorization", "Bearer " + KEY);
    JsonNode sent = ClientSide.parse(toCohere.body());
    assertThat(sent.path("model").asText()).isEqualTo("rerank-v3.5");
    assertThat(sent.path("documents")).hasSize(2);
    assertThat(sent.path("top_n").asInt()).isEqualTo(2);
    assertThat(toJina.path()).isEqualTo("/v1/rerank");
    assertThat(ClientSide.parse(toJina.body()).path("model").asText())
        .isEqualTo("jina-reranker-v2-base-multilingual");
    assertThat(toVllm.path()).isEqualTo("/v1/rerank");
    assertThat(ClientSide.parse(toVllm.body()).path("model").asText())
        .isEqualTo("BAAI/bge-reranker-v2-m3");
  }

  @Test
  void rerankIsRefusedWhereNoProviderServesItAndWhenMalformed() throws Exception {
    HttpResponse<String> claude =
        ClientSide.postTo(
            gateway, "/v1/rerank", "{\"model\":\"claude\",\"query\":\"q\",\"documents\":[\"d\"]}");
    HttpResponse<String> noDocuments =
        ClientSide.postTo(
            gateway, "/v1/rerank", "{\"model\":\"rerank-jina\",\"query\":\"q\",\"documents\":[]}");
    HttpResponse<String> badTopN =
        ClientSide.postTo(
            gateway,
            "/v1/rerank",
            "{\"model\":\"rerank-jina\",\"query\":\"q\",\"documents\":[\"d\"],\"top_n\":0}");

    assertThat(claude.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(claude.body()).at("/error/message").asText())
        .contains("Reranking", "claude");
    assertThat(ClientSide.parse(noDocuments.body()).at("/error/param").asText())
        .isEqualTo("documents");
    assertThat(ClientSide.parse(badTopN.body()).at("/error/param").asText()).isEqualTo("top_n");
    assertThat(upstream.requestsReceived()).isZero();
  }

  @Test
  void azureHasNoModerationsAndGeminiNoImages() throws Exception {
    HttpResponse<String> moderation =
        ClientSide.postTo(
            gateway, "/v1/moderations", "{\"model\":\"embed-azure\",\"input\":\"x\"}");
    HttpResponse<String> image =
        ClientSide.postTo(
            gateway, "/v1/images/generations", "{\"model\":\"embed-gemini\",\"prompt\":\"a fox\"}");

    assertThat(moderation.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(moderation.body()).at("/error/message").asText())
        .contains("Moderations", "embed-azure");
    assertThat(image.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(image.body()).at("/error/message").asText())
        .contains("Image generation", "embed-gemini");
    assertThat(upstream.requestsReceived()).isZero();
  }

  @Test
  void aGroupWithoutEmbeddingsIsAClearBadRequest() {
    for (String group : List.of("claude", "demo")) {
      assertThatThrownBy(
              () ->
                  client
                      .embeddings()
                      .create(EmbeddingCreateParams.builder().model(group).input("x").build()))
          .isInstanceOfSatisfying(
              BadRequestException.class,
              e -> assertThat(e.getMessage()).contains("Embeddings", "Model group " + group));
    }
  }

  @Test
  void badInputIsRefusedBeforeAnyUpstream() throws Exception {
    for (String body :
        List.of(
            "{\"model\":\"embed\"}",
            "{\"model\":\"embed\",\"input\":[]}",
            "{\"model\":\"embed\",\"input\":[\"a\",1]}",
            "{\"model\":\"embed\",\"input\":\"a\",\"encoding_format\":\"int8\"}",
            "{\"model\":\"embed\",\"input\":\"a\",\"dimensions\":0}")) {
      HttpResponse<String> response = ClientSide.postTo(gateway, "/v1/embeddings", body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(ClientSide.parse(response.body()).at("/error/type").asText())
          .isEqualTo("invalid_request_error");
    }
    assertThat(upstream.requestsReceived()).isZero();
  }

  @Test
  void embeddingsAreCountedUnderTheirRoute() throws Exception {
    String route = "route=\"/v1/embeddings\"";
    double before =
        ClientSide.metricSum(gateway, "litellm_proxy_total_requests_metric_total", route);
    double tokens = ClientSide.metricSum(gateway, "litellm_input_tokens_total", "");

    client.embeddings().create(EmbeddingCreateParams.builder().model("embed").input("x").build());

    assertThat(
            ClientSide.metricSum(gateway, "litellm_proxy_total_requests_metric_total", route)
                - before)
        .isEqualTo(1.0);
    assertThat(ClientSide.metricSum(gateway, "litellm_input_tokens_total", "") - tokens)
        .isEqualTo(8.0);
  }
}
