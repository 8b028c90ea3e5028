package io.feathergate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.spi.BodyParts;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.core.spi.UploadedFile;
import io.feathergate.core.spi.UpstreamRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * OpenAI's audio uploads (transcriptions, translations) on OpenAI and the compatible upstreams: a
 * new multipart body with the client's fields ({@code model} replaced) and its file, sent from the
 * disk where the gateway spooled it. The answer comes back as it is: JSON, or text for the {@code
 * text}, {@code srt} and {@code vtt} formats; a stream's events pass through.
 */
final class OpenAiUploadEndpoint implements NativeHandler {
  private static final Set<String> TEXT_FORMATS = Set.of("text", "srt", "vtt");

  private final ProviderSpec spec;
  private final String path;

  OpenAiUploadEndpoint(ProviderSpec spec, NativeApi api) {
    this.spec = spec;
    this.path = api.openAiPath();
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    URI apiBase = OpenAiJsonEndpoint.apiBase(spec, deployment);
    boolean stream = clientRequest.stream();
    return UpstreamRequest.post(
            OpenAiJsonEndpoint.uri(apiBase, path),
            OpenAiAdapter.headers(deployment, stream),
            new byte[0],
            stream,
            deployment)
        .withParts(
            multipart(
                clientRequest.nativeRequest(),
                OpenAiQuirks.upstreamModel(spec, route.upstreamModel())));
  }

  /** The fields, then the file, under a boundary of the gateway's. */
  static BodyParts multipart(NativeRequest request, String upstreamModel) {
    String boundary = "feathergate-" + UUID.randomUUID().toString().replace("-", "");
    StringBuilder fields = new StringBuilder();
    for (Map.Entry<String, JsonNode> field : request.body().properties()) {
      JsonNode value = field.getValue();
      List<String> values = new ArrayList<>();
      if (field.getKey().equals("model")) {
        values.add(upstreamModel);
      } else if (value.isArray()) {
        value.forEach(item -> values.add(item.asText()));
      } else {
        values.add(value.asText());
      }
      for (String text : values) {
        fields.append("--").append(boundary).append("\r\n");
        fields.append("Content-Disposition: form-data; name=\"");
        fields.append(quoted(field.getKey())).append("\"\r\n\r\n");
        fields.append(text).append("\r\n");
      }
    }
    UploadedFile file = request.upload();
    fields.append("--").append(boundary).append("\r\n");
    fields.append("Content-Disposition: form-data; name=\"").append(quoted(file.field()));
    fields.append("\"; filename=\"").append(quoted(file.filename())).append("\"\r\n");
    fields.append("Content-Type: ").append(oneLine(file.contentType())).append("\r\n\r\n");
    return new BodyParts(
        "multipart/form-data; boundary=" + boundary,
        List.of(
            new BodyParts.Bytes(fields.toString().getBytes(StandardCharsets.UTF_8)),
            new BodyParts.FileRange(file.path(), file.offset(), file.length()),
            new BodyParts.Bytes(
                ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8))));
  }

  /** A name for a quoted header parameter: no quote, no line break can end it early. */
  private static String quoted(String name) {
    return oneLine(name).replace("\"", "%22");
  }

  private static String oneLine(String value) {
    return value.replace("\r", "").replace("\n", "");
  }

  @Override
  public String contentType(ChatRequest clientRequest) {
    String format = clientRequest.nativeRequest().body().path("response_format").asText("json");
    return TEXT_FORMATS.contains(format) ? "text/plain; charset=utf-8" : "application/json";
  }

  @Override
  public TokenUsage usage(byte[] answer) {
    return UsageScanner.find(answer);
  }

  @Override
  public Stream newStream() {
    return new OpenAiEventStream();
  }
}
