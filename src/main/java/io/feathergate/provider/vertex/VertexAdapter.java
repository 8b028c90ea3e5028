package io.feathergate.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import io.feathergate.provider.anthropic.AnthropicAdapter;
import io.feathergate.provider.gemini.GeminiAdapter;
import io.feathergate.wire.Json;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Vertex AI. The body is the Gemini translator's for Gemini models and the Anthropic translator's
 * for Claude ({@code model} removed, {@code anthropic_version: vertex-2023-10-16} added, betas in
 * the body as {@code anthropic_beta}); answers, streams and errors are read by the same
 * translators. What is Vertex's own is the URL ({@code
 * /v1/projects/{project}/locations/{location}/publishers/{google|anthropic}/models/{model}:...}, on
 * {@code {location}-aiplatform.googleapis.com} or the global host) and the token.
 */
public final class VertexAdapter implements ProviderAdapter {
  static final String DEFAULT_LOCATION = "us-central1";
  static final String ANTHROPIC_VERSION = "vertex-2023-10-16";
  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

  /** A model name or version: one path segment, {@code @} allowed (Claude's versions). */
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final GeminiAdapter gemini;
  private final AnthropicAdapter anthropic;
  private final VertexEmbeddings embeddings = new VertexEmbeddings();

  public VertexAdapter(ProviderSpec spec) {
    this.gemini = new GeminiAdapter(spec);
    this.anthropic = new AnthropicAdapter(spec);
  }

  /**
   * The model name, which becomes a path segment (a wildcard group fills it from the client's own
   * text), refused unless it is only letters, digits, '.', '_', '-' and '@'.
   */
  static String checkedModel(String model) {
    if (!MODEL.matcher(model).matches()) {
      throw GatewayException.badRequest(
          "Invalid model name '"
              + model
              + "': a model name may hold letters, digits, '.', '_', '-' and '@' only.",
          "model");
    }
    return model;
  }

  /** Claude and the other Anthropic models are served on Vertex's partner path. */
  static boolean isClaude(String model) {
    return model.toLowerCase(Locale.ROOT).startsWith("claude");
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    String model = checkedModel(route.upstreamModel());
    boolean claude = isClaude(model);
    boolean stream = clientRequest.stream();
    byte[] body;
    Map<String, String> headers = new LinkedHashMap<>();
    if (claude) {
      UpstreamRequest messages = anthropic.toUpstream(clientRequest, route);
      body = vertexAnthropicBody(messages);
      headers.put("content-type", "application/json");
      headers.put("accept", stream ? "text/event-stream" : "application/json");
    } else {
      body = gemini.toUpstream(clientRequest, route).body();
      headers.put("Content-Type", "application/json");
    }
    UpstreamAuth auth = authorize(deployment);
    headers.putAll(deployment.extraHeaders());
    headers.remove("anthropic-beta"); // sent in the body on Vertex
    URI uri = uri(deployment, model, claude, stream);
    return UpstreamRequest.post(uri, headers, body, stream, deployment).withAuth(auth);
  }

  /** Anthropic's body as Vertex takes it. */
  private static byte[] vertexAnthropicBody(UpstreamRequest messages) {
    JsonNode parsed = Json.readOrNull(messages.body());
    if (!(parsed instanceof ObjectNode body)) {
      throw GatewayException.internal("The Anthropic request body is not an object.");
    }
    body.remove("model");
    ObjectNode vertex = Json.MAPPER.createObjectNode().put("anthropic_version", ANTHROPIC_VERSION);
    vertex.setAll(body);
    String betas = null;
    for (Map.Entry<String, String> header : messages.headers().entrySet()) {
      if (header.getKey().equalsIgnoreCase("anthropic-beta")) {
        betas = header.getValue();
      }
    }
    if (betas != null && !betas.isBlank()) {
      ArrayNode list = vertex.putArray("anthropic_beta");
      for (String beta : betas.split(",")) {
        if (!beta.isBlank()) {
          list.add(beta.strip());
        }
      }
    }
    return Json.bytes(vertex);
  }

  /** A static {@code Authorization} from the deployment's headers, else the service account. */
  static UpstreamAuth authorize(Deployment deployment) {
    for (String name : deployment.extraHeaders().keySet()) {
      if (name.equalsIgnoreCase("authorization")) {
        return null;
      }
    }
    String email = deployment.setting("vertex_client_email");
    Secret key = deployment.secret("vertex_private_key");
    if (email == null || key == null) {
      throw new GatewayException(
          500,
          "internal_server_error",
          "Deployment "
              + deployment.id()
              + " has no Vertex AI credentials: set vertex_credentials (a service account's JSON"
              + " or its file) or GOOGLE_APPLICATION_CREDENTIALS.",
          null,
          "500",
          false);
    }
    String tokenUri = deployment.setting("vertex_token_uri");
    return new UpstreamAuth.OAuthToken(
        new UpstreamAuth.ServiceAccountJwt(
            URI.create(tokenUri == null ? DEFAULT_TOKEN_URI : tokenUri),
            email,
            deployment.setting("vertex_private_key_id"),
            key,
            SCOPE));
  }

  static URI uri(Deployment deployment, String model, boolean claude, boolean stream) {
    String method =
        claude
            ? (stream ? ":streamRawPredict" : ":rawPredict")
            : (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    return uri(deployment, model, claude ? "anthropic" : "google", method);
  }

  /**
   * {@code {origin}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/
   * {model}{method}}.
   */
  static URI uri(Deployment deployment, String model, String publisher, String method) {
    String project = deployment.setting("vertex_project");
    if (project == null) {
      project = deployment.setting("vertex_credentials_project");
    }
    if (project == null || !SEGMENT.matcher(project).matches()) {
      throw new GatewayException(
          500,
          "internal_server_error",
          "Deployment "
              + deployment.id()
              + " names no usable Vertex AI project: set vertex_project (or VERTEXAI_PROJECT).",
          null,
          "500",
          false);
    }
    String location = deployment.setting("vertex_location");
    location = location == null ? DEFAULT_LOCATION : location;
    if (!SEGMENT.matcher(location).matches()) {
      throw GatewayException.internal(
          "Deployment " + deployment.id() + " names no usable location.");
    }
    String origin;
    if (deployment.apiBase() != null) {
      URI base = deployment.apiBase();
      origin = base.getScheme() + "://" + base.getRawAuthority();
    } else if (location.equals("global")) {
      origin = "https://aiplatform.googleapis.com";
    } else {
      origin = "https://" + location + "-aiplatform.googleapis.com";
    }
    return URI.create(
        origin
            + "/v1/projects/"
            + project
            + "/locations/"
            + location
            + "/publishers/"
            + publisher
            + "/models/"
            + model
            + method);
  }

  @Override
  public ChatCompletion fromUpstream(byte[] upstreamBody, StreamContext context) {
    return isClaude(context.upstreamModel())
        ? anthropic.fromUpstream(upstreamBody, context)
        : gemini.fromUpstream(upstreamBody, context);
  }

  @Override
  public StreamDecoder newStreamDecoder(StreamContext context) {
    return isClaude(context.upstreamModel())
        ? anthropic.newStreamDecoder(context)
        : gemini.newStreamDecoder(context);
  }

  /**
   * Google's error shape ({@code {"error":{"code","message","status"}}}, from Vertex itself, for
   * Claude too when the request never reached it) is read as Gemini's; Anthropic's ({@code
   * "type":"error"}) as Anthropic's.
   */
  @Override
  public NativeHandler nativeHandler(NativeApi api) {
    return api == NativeApi.OPENAI_EMBEDDINGS ? embeddings : null;
  }

  @Override
  public GatewayException toError(int status, Map<String, String> headers, byte[] body) {
    JsonNode json = Json.readOrNull(body);
    if (json != null && "error".equals(json.path("type").asText(null))) {
      return anthropic.toError(status, headers, body);
    }
    return gemini.toError(status, headers, body);
  }
}
