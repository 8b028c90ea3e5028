package io.feathergate.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.exchange.ClientRequestReader;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeRequest;
import io.feathergate.core.spi.UploadedFile;
import io.feathergate.wire.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads OpenAI's audio uploads ({@code /v1/audio/transcriptions}, {@code /v1/audio/translations})
 * from the spooled body: the text fields become the request's body (a field sent several times,
 * such as {@code timestamp_granularities[]}, an array), the file stays on disk ({@link
 * UploadedFile}). Checked as OpenAI checks them, in its words.
 */
final class UploadReaders {
  private static final Set<String> FORMATS =
      Set.of("json", "text", "srt", "verbose_json", "vtt", "diarized_json");

  private UploadReaders() {}

  /** The reader of the form spooled at {@code spool}; the body it is handed is not used. */
  static ClientRequestReader audio(NativeApi api, Path spool, String boundary) {
    return ignored -> read(api, MultipartForm.read(spool, boundary));
  }

  static ChatRequest read(NativeApi api, MultipartForm form) {
    String model = form.field("model");
    if (model == null || model.isBlank()) {
      throw GatewayException.badRequest("Missing required parameter: 'model'.", "model");
    }
    List<UploadedFile> files = form.files().stream().filter(f -> f.field().equals("file")).toList();
    if (files.size() != 1) {
      throw GatewayException.badRequest(
          files.isEmpty()
              ? "Missing required parameter: 'file'."
              : "Invalid 'file': expected one file.",
          "file");
    }
    String format = form.field("response_format");
    if (format != null && !FORMATS.contains(format)) {
      throw GatewayException.badRequest(
          "Invalid 'response_format': expected one of " + FORMATS + ".", "response_format");
    }
    String stream = form.field("stream");
    if (stream != null && !stream.equals("true") && !stream.equals("false")) {
      throw GatewayException.badRequest("Invalid 'stream': expected true or false.", "stream");
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, List<String>> field : form.fields().entrySet()) {
      if (field.getValue().size() == 1 && !field.getKey().endsWith("[]")) {
        body.put(field.getKey(), field.getValue().get(0));
      } else {
        ArrayNode values = body.putArray(field.getKey());
        field.getValue().forEach(values::add);
      }
    }
    boolean streamed = "true".equals(stream);
    return new ChatRequest(
        body,
        model,
        streamed,
        false,
        Map.of(),
        new NativeRequest(
            api,
            NativeRequest.Operation.CREATE,
            body,
            "Audio is served by OpenAI, Azure and the OpenAI-compatible providers.",
            false,
            files.get(0)));
  }
}
