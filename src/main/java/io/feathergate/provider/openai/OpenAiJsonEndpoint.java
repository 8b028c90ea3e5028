package io.feathergate.provider.openai;

import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;

/**
 * One of OpenAI's endpoints beyond chat (embeddings, image generation, moderations, legacy
 * completions, the Responses API, rerank) on OpenAI and every OpenAI-compatible upstream: the
 * client's body goes to {@code {api_base}/{path}} with only {@code model} replaced, and the answer,
 * or the stream's events, come back as they are; its {@code usage}, where it has one, is read from
 * the bytes.
 */
final class OpenAiJsonEndpoint implements NativeHandler {
  private final ProviderSpec spec;
  private final String path;
  private final boolean responses;
  private final boolean rerank;
  private final boolean speech;

  /** Cohere's API host, for its rerank: its default base is the OpenAI compatibility API. */
  static final String COHERE_API = "https://api.cohere.com";

  OpenAiJsonEndpoint(ProviderSpec spec, NativeApi api) {
    this.spec = spec;
    this.path = api.openAiPath();
    this.responses = api == NativeApi.OPENAI_RESPONSES;
    this.rerank = api == NativeApi.RERANK;
    this.speech = api == NativeApi.OPENAI_SPEECH;
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    URI apiBase = apiBase(spec, deployment);
    byte[] body =
        Json.bytesWithField(
            clientRequest.nativeRequest().body(),
            "model",
            OpenAiQuirks.upstreamModel(spec, route.upstreamModel()));
    boolean stream = clientRequest.stream();
    return UpstreamRequest.post(
        rerank ? rerankUri(apiBase, deployment.apiBase() == null) : uri(apiBase, path),
        OpenAiAdapter.headers(deployment, stream),
        body,
        stream,
        deployment);
  }

  /**
   * Where a rerank goes: {@code {base}/rerank} for an OpenAI-style base; Cohere's own at {@code
   * /v2/rerank} of its API host, which is not where its chat is.
   */
  private URI rerankUri(URI apiBase, boolean defaultBase) {
    if (spec.name().equals("cohere")) {
      String base = defaultBase ? COHERE_API : apiBase.toString();
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      return URI.create(
          base.endsWith("/v1") || base.endsWith("/v2") ? base + "/rerank" : base + "/v2/rerank");
    }
    return uri(apiBase, path);
  }

  /** The deployment's base; a deployment without one (and no default) is a configuration defect. */
  static URI apiBase(ProviderSpec spec, Deployment deployment) {
    URI apiBase = spec.apiBaseFor(deployment);
    if (apiBase == null) {
      throw GatewayException.internal(
          "Deployment " + deployment.id() + " of " + spec.name() + " has no api_base.");
    }
    return apiBase;
  }

  /** {@code {base}/{path}}, for a base written with or without {@code /chat/completions}. */
  static URI uri(URI apiBase, String path) {
    String chat = OpenAiAdapter.chatCompletionsUri(apiBase).toString();
    return URI.create(chat.substring(0, chat.length() - "chat/completions".length()) + path);
  }

  @Override
  public TokenUsage usage(byte[] answer) {
    return speech ? null : UsageScanner.find(answer);
  }

  /** Speech answers with audio in the format asked for (mp3 unless told otherwise). */
  @Override
  public String contentType(ChatRequest clientRequest) {
    if (!speech) {
      return ChatCompletion.JSON;
    }
    return switch (clientRequest.nativeRequest().body().path("response_format").asText("mp3")) {
      case "opus" -> "audio/opus";
      case "aac" -> "audio/aac";
      case "flac" -> "audio/flac";
      case "wav" -> "audio/wav";
      case "pcm" -> "audio/pcm";
      default -> "audio/mpeg";
    };
  }

  @Override
  public Stream newStream() {
    return responses ? new ResponsesEventStream() : new OpenAiEventStream();
  }
}
