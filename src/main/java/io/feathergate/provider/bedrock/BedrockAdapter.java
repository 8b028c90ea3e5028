package io.feathergate.provider.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.Secret;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.UpstreamAuth;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AWS Bedrock's Converse API. A Bedrock API key ({@code api_key}, {@code AWS_BEARER_TOKEN_BEDROCK})
 * is sent as a bearer token, as in LiteLLM it wins over IAM keys; else the request names a SigV4
 * signature with {@code aws_access_key_id}, {@code aws_secret_access_key} and {@code
 * aws_session_token}, computed just before it is sent.
 */
public final class BedrockAdapter implements ProviderAdapter {
  static final String SIGNING_NAME = "bedrock";

  public BedrockAdapter(ProviderSpec spec) {
    // one protocol, one behaviour: the row only names the keys and variables
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    String modelId = BedrockEndpoint.modelId(route.upstreamModel());
    String region = BedrockEndpoint.region(deployment, modelId);
    ObjectNode converse = ConverseRequestMapper.map(clientRequest.body(), deployment.dropParams());
    return request(
        deployment,
        BedrockEndpoint.converseUri(deployment, modelId, region, clientRequest.stream()),
        region,
        Json.bytes(converse),
        clientRequest.stream());
  }

  @Override
  public NativeHandler nativeHandler(NativeApi api) {
    return api == NativeApi.OPENAI_EMBEDDINGS ? EMBEDDINGS : null;
  }

  private static final NativeHandler EMBEDDINGS = new BedrockEmbeddings();

  /**
   * A request to Bedrock's runtime with the deployment's credentials: its API key as a bearer, else
   * a SigV4 signature computed just before it is sent.
   */
  static UpstreamRequest request(
      Deployment deployment, URI uri, String region, byte[] body, boolean stream) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", stream ? "application/vnd.amazon.eventstream" : "application/json");
    UpstreamAuth auth = null;
    if (deployment.apiKey() != null) {
      headers.put("Authorization", "Bearer " + deployment.apiKey().reveal());
    } else {
      String accessKeyId = deployment.setting("aws_access_key_id");
      Secret secretKey = deployment.secret("aws_secret_access_key");
      if (accessKeyId == null || secretKey == null) {
        throw new GatewayException(
            500,
            "internal_server_error",
            "Deployment "
                + deployment.id()
                + " has no AWS credentials: set aws_access_key_id and aws_secret_access_key, or a"
                + " Bedrock API key as api_key.",
            null,
            "500",
            false);
      }
      auth =
          new UpstreamAuth.AwsSigV4(
              accessKeyId, secretKey, deployment.secret("aws_session_token"), region, SIGNING_NAME);
    }
    // headers the deployment adds are not signed; they must not replace the signed ones
    for (Map.Entry<String, String> extra : deployment.extraHeaders().entrySet()) {
      headers.putIfAbsent(extra.getKey(), extra.getValue());
    }
    UpstreamRequest request = UpstreamRequest.post(uri, headers, body, stream, deployment);
    return auth == null ? request : request.withAuth(auth);
  }

  @Override
  public ChatCompletion fromUpstream(byte[] upstreamBody, StreamContext context) {
    return ChatCompletion.of(ConverseAnswers.completion(upstreamBody, context));
  }

  @Override
  public StreamDecoder newStreamDecoder(StreamContext context) {
    return new ConverseStreamDecoder(context);
  }

  @Override
  public GatewayException toError(int status, Map<String, String> headers, byte[] body) {
    return BedrockErrors.fromResponse(status, headers, body);
  }
}
