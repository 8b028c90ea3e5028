package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The new credential kinds stay secret: an AWS secret key and session token, an Entra client
 * secret, a service account's private key appear in no listing, metric, log line or error, even
 * when an upstream or a token endpoint echoes them back.
 */
class ProviderSecretsE2ETest {
  static final String AWS_SECRET = "aws/echoed/Secret+Key/0123456789abcdef";
  static final String AWS_TOKEN = "aws-echoed-session-token-0123456789";
  static final String CLIENT_SECRET = "entra-echoed-client-secret-0123456789";
  static final Logger GATEWAY_LOG = Logger.getLogger("io.feathergate");

  static FakeUpstream upstream;
  static GoogleTokenEndpoint google;
  static GatewayServer gateway;
  static LogCapture log;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    upstream = new FakeUpstream();
    google = new GoogleTokenEndpoint();
    upstream.respondWith(
        (request, reply) -> {
          if (request.path().contains("/oauth2/v2.0/token")) {
            // a token endpoint that quotes what it was sent
            reply.json(
                401,
                "{\"error\":\"invalid_client\",\"error_description\":\"bad secret "
                    + CLIENT_SECRET
                    + "\"}");
            return;
          }
          // an upstream that echoes the signed headers and its credentials
          reply.whole(
              400,
              "application/json",
              "{\"message\":\"rejected token "
                  + request.headers().get("x-amz-security-token")
                  + " for secret "
                  + AWS_SECRET
                  + "\"}",
              java.util.Map.of("x-amzn-ErrorType", "ValidationException"));
        });
    log = LogCapture.on(GATEWAY_LOG);
    GATEWAY_LOG.setLevel(Level.FINE);
    gateway =
        GatewayServer.start(
            "model_list:\n"
                + "  - model_name: claude\n"
                + "    litellm_params:\n"
                + "      model: bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0\n"
                + "      aws_bedrock_runtime_endpoint: "
                + upstream.origin()
                + "\n      aws_access_key_id: AKIAECHOEXAMPLE00000\n"
                + "      aws_secret_access_key: "
                + AWS_SECRET
                + "\n      aws_session_token: "
                + AWS_TOKEN
                + "\n      aws_region_name: us-east-1\n"
                + "  - model_name: gpt\n"
                + "    litellm_params:\n"
                + "      model: azure/gpt-4o\n"
                + "      api_base: "
                + upstream.origin()
                + "\n      tenant_id: t\n      client_id: c\n      client_secret: "
                + CLIENT_SECRET
                + "\n      azure_authority_host: "
                + upstream.origin()
                + "\n"
                + "  - model_name: gemini\n"
                + "    litellm_params:\n"
                + "      model: vertex_ai/gemini-2.5-pro\n"
                + "      vertex_project: p\n"
                + "      api_base: "
                + upstream.origin()
                + "\n      vertex_credentials: '"
                + google.serviceAccountJson()
                + "'\n"
                + "litellm_settings:\n  callbacks: [\"prometheus\"]\n");
  }

  @AfterAll
  static void stop() throws Exception {
    log.close();
    GATEWAY_LOG.setLevel(null);
    gateway.close();
    upstream.close();
    google.close();
  }

  static String get(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static List<String> secrets() {
    String pem = google.serviceAccountJson();
    String keyLine = pem.substring(pem.indexOf("KEY-----\\n") + 9, pem.indexOf("KEY-----\\n") + 60);
    return List.of(AWS_SECRET, AWS_TOKEN, CLIENT_SECRET, keyLine);
  }

  @Test
  void echoedCredentialsAreRedactedAndListingsShowNone() throws Exception {
    HttpResponse<String> bedrock =
        ClientSide.post(
            gateway,
            null,
            "{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(bedrock.statusCode()).isEqualTo(400);
    assertThat(bedrock.body()).contains("[redacted]");
    HttpResponse<String> azure =
        ClientSide.post(
            gateway,
            null,
            "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(azure.statusCode()).as(azure.body()).isEqualTo(401);
    assertThat(azure.body()).contains("access token").contains("invalid_client");

    String info = get("/model/info");
    JsonNode data = ClientSide.parse(info).get("data");
    assertThat(data.get(0).at("/litellm_params/aws_region_name").asText()).isEqualTo("us-east-1");
    assertThat(data.get(0).at("/litellm_params").has("aws_secret_access_key")).isFalse();
    String everything =
        bedrock.body()
            + azure.body()
            + info
            + get("/v1/models")
            + get("/metrics")
            + get("/health")
            + log.all();
    for (String secret : secrets()) {
      assertThat(everything).doesNotContain(secret);
    }
  }
}
