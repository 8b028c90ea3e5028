package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.translations.TranslationCreateParams;
import jakarta.servlet.ServletContext;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI's audio endpoints through the gateway with the official client: a generated WAV file
 * uploaded for transcription and translation (a new multipart body upstream, the file's bytes
 * exactly, {@code model} replaced), speech answered with the upstream's audio and content type;
 * each to OpenAI and Azure, refused where no provider of the group serves audio, and the spooled
 * upload gone when the request ends.
 */
class AudioE2ETest {
  static final String KEY = "sk-audio-upstream";
  static final String AZURE_KEY = "azure-audio-key";

  static FakeUpstream upstream;
  static GatewayServer gateway;
  static OpenAIClient client;

  @TempDir static Path files;

  static Path wav;
  static byte[] wavBytes;

  @BeforeAll
  static void start() throws Exception {
    wavBytes = wav(16_000, 0.5);
    wav = files.resolve("hello.wav");
    Files.write(wav, wavBytes);
    upstream = new FakeUpstream();
    gateway =
        GatewayServer.start(
            """
            model_list:
              - model_name: whisper
                litellm_params:
                  model: openai/whisper-1
                  api_base: %1$s/v1
                  api_key: %2$s
              - model_name: whisper-azure
                litellm_params:
                  model: azure/my-whisper
                  api_base: %1$s
                  api_key: %3$s
                  api_version: "2024-10-21"
              - model_name: tts
                litellm_params:
                  model: openai/gpt-4o-mini-tts
                  api_base: %1$s/v1
                  api_key: %2$s
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_base: %1$s
                  api_key: %2$s
            general_settings:
              max_request_size_mb: 2
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
  }

  /** A mono 16-bit PCM WAV file of a 440 Hz tone. */
  static byte[] wav(int sampleRate, double seconds) {
    int samples = (int) (sampleRate * seconds);
    ByteBuffer data = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    data.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2);
    data.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1);
    data.putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2);
    data.putShort((short) 2).putShort((short) 16);
    data.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
    for (int i = 0; i < samples; i++) {
      data.putShort((short) (Math.sin(2 * Math.PI * 440 * i / sampleRate) * 8000));
    }
    return data.array();
  }

  /** A multipart body as OpenAI's API reads it: text fields, and each file's bytes and headers. */
  record Form(Map<String, String> fields, Map<String, byte[]> files, Map<String, String> names) {}

  static Form form(FakeUpstream.Received request) {
    String contentType = request.headers().get("content-type");
    assertThat(contentType).startsWith("multipart/form-data; boundary=");
    byte[] delimiter =
        ("--" + contentType.substring(contentType.indexOf("boundary=") + 9))
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] body = request.bytes();
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, byte[]> fileParts = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    int at = indexOf(body, delimiter, 0) + delimiter.length;
    while (!(body[at] == '-' && body[at + 1] == '-')) {
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
      String headers = new String(body, at + 2, headersEnd - at - 2, StandardCharsets.UTF_8);
      int next = indexOf(body, delimiter, headersEnd + 4);
      byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next - 2);
      String name = headers.replaceAll("(?s).*?\\bname=\"([^\"]*)\".*", "$1");
      if (headers.contains("filename=")) {
        fileParts.put(name, content);
        names.put(name, headers.replaceAll("(?s).*filename=\"([^\"]*)\".*", "$1"));
      } else {
        fields.put(name, new String(content, StandardCharsets.UTF_8));
      }
      at = next + delimiter.length;
    }
    return new Form(fields, fileParts, names);
  }

  static int indexOf(byte[] bytes, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= bytes.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not in the body");
  }

  /**
   * The spooled uploads left, once the gateway had a moment to finish: it deletes a spool when the
   * request has ended, which is just after its client has the answer.
   */
  static long spooledUploads() throws Exception {
    long left = countSpooled();
    for (int i = 0; i < 50 && left > 0; i++) {
      Thread.sleep(20);
      left = countSpooled();
    }
    return left;
  }

  static long countSpooled() throws IOException {
    Object dir = gateway.servletContext().getAttribute(ServletContext.TEMPDIR);
    Path tmp =
        dir instanceof File file ? file.toPath() : Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> listed = Files.list(tmp)) {
      return listed
          .filter(p -> p.getFileName().toString().startsWith("feathergate-upload-"))
          .count();
    }
  }

  @Test
  void aTranscriptionUploadsTheFileAsItWasWithTheUpstreamsModel() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, "{\"text\":\"Hello there.\"}"));

    Transcription transcription =
        client
            .audio()
            .transcriptions()
            .create(
                TranscriptionCreateParams.builder()
                    .file(wav)
                    .model("whisper")
                    .language("en")
                    .build())
            .asTranscription();

    assertThat(transcription.text()).isEqualTo("Hello there.");
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/audio/transcriptions");
    assertThat(sent.headers()).containsEntry("authorization", "Bearer " + KEY);
    Form form = form(sent);
    assertThat(form.fields()).containsEntry("model", "whisper-1").containsEntry("language", "en");
    assertThat(form.files().get("file")).isEqualTo(wavBytes);
    assertThat(form.names()).containsEntry("file", "hello.wav");
    assertThat(spooledUploads()).isZero();
  }

  @Test
  void textFormatsComeBackAsText() throws Exception {
    upstream.respondWith(
        (request, reply) -> reply.whole(200, "text/plain; charset=utf-8", "Hello there.\n"));

    try (HttpResponse response =
            client
                .audio()
                .translations()
                .withRawResponse()
                .create(
                    TranslationCreateParams.builder()
                        .file(wav)
                        .model("whisper")
                        .responseFormat(TranslationCreateParams.ResponseFormat.TEXT)
                        .build());
        InputStream body = response.body()) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().values("content-type").get(0)).startsWith("text/plain");
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("Hello there.\n");
    }
    assertThat(upstream.takeRequest().path()).isEqualTo("/v1/audio/translations");
  }

  @Test
  void azureGetsItsDeploymentsTranscriptionUrl() throws Exception {
    upstream.respondWith((request, reply) -> reply.json(200, "{\"text\":\"Hi.\"}"));

    client
        .audio()
        .transcriptions()
        .create(
            TranscriptionCreateParams.builder()
                .file(wav)
                .model("whisper-azure")
                .responseFormat(AudioResponseFormat.JSON)
                .build());

    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path())
        .isEqualTo("/openai/deployments/my-whisper/audio/transcriptions?api-version=2024-10-21");
    assertThat(sent.headers()).containsEntry("api-key", AZURE_KEY);
    assertThat(form(sent).files().get("file")).isEqualTo(wavBytes);
  }

  @Test
  void speechAnswersWithTheUpstreamsAudio() throws Exception {
    byte[] mp3 = new byte[3000];
    for (int i = 0; i < mp3.length; i++) {
      mp3[i] = (byte) (i * 31); // every byte value, as audio has
    }
    upstream.respondWith((request, reply) -> reply.whole(200, "audio/mpeg", mp3, Map.of()));

    try (HttpResponse response =
            client
                .audio()
                .speech()
                .create(
                    SpeechCreateParams.builder()
                        .model("tts")
                        .input("Hello there.")
                        .voice("alloy")
                        .build());
        InputStream body = response.body()) {
      assertThat(response.headers().values("content-type").get(0)).isEqualTo("audio/mpeg");
      assertThat(body.readAllBytes()).isEqualTo(mp3);
    }
    FakeUpstream.Received sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/audio/speech");
    assertThat(ClientSide.parse(sent.body()).path("model").asText()).isEqualTo("gpt-4o-mini-tts");
  }

  @Test
  void audioIsRefusedWhereNoProviderServesItAndWhenMalformed() throws Exception {
    assertThatThrownBy(
            () ->
                client
                    .audio()
                    .transcriptions()
                    .create(TranscriptionCreateParams.builder().file(wav).model("claude").build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Audio")
        .hasMessageContaining("claude");
    java.net.http.HttpResponse<String> json =
        ClientSide.postTo(gateway, "/v1/audio/transcriptions", "{\"model\":\"whisper\"}");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(json.body()).at("/error/message").asText())
        .contains("multipart/form-data");
    java.net.http.HttpResponse<String> noFile = postForm("whisper", null);
    assertThat(noFile.statusCode()).isEqualTo(400);
    assertThat(ClientSide.parse(noFile.body()).at("/error/param").asText()).isEqualTo("file");
    assertThat(upstream.requestsReceived()).isZero();
    assertThat(spooledUploads()).isZero();
  }

  @Test
  void anUploadOverTheSizeLimitIsRefusedAndNotKept() throws Exception {
    java.net.http.HttpResponse<String> tooBig = postForm("whisper", new byte[3 * 1024 * 1024]);

    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(upstream.requestsReceived()).isZero();
    assertThat(spooledUploads()).isZero();
  }

  /** A raw multipart POST with a model and, when given, a file. */
  static java.net.http.HttpResponse<String> postForm(String model, byte[] file) throws Exception {
    String boundary = "test-boundary-1";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
                + model
                + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
    if (file != null) {
      body.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                  + "Content-Type: audio/wav\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(file);
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newHttpClient();
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/audio/transcriptions"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }
}
