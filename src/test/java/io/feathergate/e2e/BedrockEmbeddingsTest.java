package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's embeddings on Bedrock: Amazon Titan's one call per text, sent at once and each signed,
 * their vectors back in input order whatever order the answers come in; Cohere's texts in one call;
 * a failed call fails the request and nothing is returned in part.
 */
class BedrockEmbeddingsTest {
  static final String TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
  static final String COHERE_PATH = "/model/cohere.embed-english-v3/invoke";
  static final String BEDROCK_KEY = "bedrock-api-key-0123456789";

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static OpenAIClient client;
  static final BedrockFake SIGNER = new BedrockFake();

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: titan
                litellm_params:
                  model: bedrock/amazon.titan-embed-text-v2:0
                  aws_bedrock_runtime_endpoint: %1$s
                  aws_access_key_id: %2$s
                  aws_secret_access_key: %3$s
                  aws_session_token: %4$s
                  aws_region_name: %5$s
                  max_retries: 0
              - model_name: cohere-embed
                litellm_params:
                  model: bedrock/cohere.embed-english-v3
                  aws_bedrock_runtime_endpoint: %1$s
                  api_key: %6$s
            """
                .formatted(
                    upstream.origin(),
                    BedrockFake.ACCESS_KEY_ID,
                    BedrockFake.SECRET_KEY,
                    BedrockFake.SESSION_TOKEN,
                    BedrockFake.REGION,
                    BEDROCK_KEY));
    client = ClientSide.sdk(gateway, "unused");
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void forget() {
    upstream.forget();
  }

  /** Titan's vector for a text: its length, then the text's first character's code. */
  static String titanAnswer(String text) {
    return "{\"embedding\":["
        + text.length()
        + ".0,"
        + (int) text.charAt(0)
        + ".0],"
        + "\"embeddingsByType\":{\"float\":[]},\"inputTextTokenCount\":"
        + text.length()
        + "}";
  }

  @Test
  void titanGetsOneSignedCallPerTextAtOnceAndTheVectorsComeBackInInputOrder() throws Exception {
    List<String> texts = List.of("alpha", "be", "gamma ray");
    CountDownLatch allArrived = new CountDownLatch(texts.size());
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    upstream.respondWith(
        (request, reply) -> {
          allArrived.countDown();
          if (!request.path().equals(TITAN_PATH) || SIGNER.receivedKey(request) == null) {
            problems.add(request.path() + " unsigned or misdirected");
          }
          // every call is in flight before any is answered: they were sent at once
          if (!allArrived.await(5, TimeUnit.SECONDS)) {
            problems.add("the calls were not sent at once");
          }
          String text = ClientSide.parse(request.body()).path("inputText").asText();
          if (text.equals("alpha")) {
            Thread.sleep(100); // the first input's answer comes last
          }
          reply.json(200, titanAnswer(text));
        });

    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("titan")
                    .inputOfArrayOfStrings(texts)
                    .dimensions(256)
                    .build());

    assertThat(problems).isEmpty();
    List<List<Float>> vectors = new ArrayList<>();
    for (Embedding embedding : response.data()) {
      assertThat(embedding.index()).isEqualTo(vectors.size());
      vectors.add(embedding.embedding());
    }
    assertThat(vectors).containsExactly(List.of(5f, 97f), List.of(2f, 98f), List.of(9f, 103f));
    assertThat(response.usage().promptTokens()).isEqualTo(16);
    List<JsonNode> sent = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      sent.add(ClientSide.parse(upstream.takeRequest().body()));
    }
    assertThat(sent).allSatisfy(body -> assertThat(body.path("dimensions").asInt()).isEqualTo(256));
  }

  @Test
  void oneFailedCallFailsTheRequest() throws Exception {
    upstream.respondWith(
        (request, reply) -> {
          String text = ClientSide.parse(request.body()).path("inputText").asText();
          if (text.equals("bad")) {
            reply.whole(
                400,
                "application/json",
                "{\"message\":\"Malformed input request: expected maxLength: 50000\"}",
                java.util.Map.of("x-amzn-ErrorType", "ValidationException:http://internal"));
          } else {
            reply.json(200, titanAnswer(text));
          }
        });

    java.net.http.HttpResponse<String> response =
        ClientSide.postTo(
            gateway, "/v1/embeddings", "{\"model\":\"titan\",\"input\":[\"good\",\"bad\"]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(response.body()).at("/error/message").asText())
        .contains("Malformed input request");
  }

  @Test
  void cohereGetsTheTextsInOneCallWithItsInputTypeAndAnsweredBase64() throws Exception {
    upstream.respondWith(
        (request, reply) ->
            reply.json(
                200,
                "{\"id\":\"e1\",\"response_type\":\"embeddings_by_type\",\"embeddings\":"
                    + "{\"float\":[[0.5,-1.0],[2.0,0.25]]},\"texts\":[\"a\",\"b\"]}"));

    java.net.http.HttpResponse<String> response =
        ClientSide.postTo(
            gateway,
            "/v1/embeddings",
            "{\"model\":\"cohere-embed\",\"input\":[\"a\",\"b\"],\"input_type\":\"search_query\","
                + "\"encoding_format\":\"base64\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode data = ClientSide.parse(response.body()).path("data");
    assertThat(data).hasSize(2);
    java.nio.ByteBuffer first =
        java.nio.ByteBuffer.wrap(
                java.util.Base64.getDecoder().decode(data.get(0).path("embedding").asText()))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(first.getFloat()).isEqualTo(0.5f);
    assertThat(first.getFloat()).isEqualTo(-1.0f);
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo(COHERE_PATH);
    assertThat(sent.headers()).containsEntry("authorization", "Bearer " + BEDROCK_KEY);
    JsonNode body = ClientSide.parse(sent.body());
    assertThat(body.path("texts")).hasSize(2);
    assertThat(body.path("input_type").asText()).isEqualTo("search_query");
    assertThat(upstream.requestsReceived()).isZero();
  }
}
