package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a client of the gateway does and sees: the official openai-java client, and raw HTTP where
 * the client hides a detail (the {@code [DONE]} line, an event's name, an error's exact body).
 */
final class ClientSide {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A function tool with a JSON Schema for its parameters, as clients declare them. */
  static final FunctionDefinition WEATHER_TOOL =
      FunctionDefinition.builder()
          .name("get_weather")
          .description("Lookup the weather for a given city in either celsius or fahrenheit")
          .parameters(
              FunctionParameters.builder()
                  .putAdditionalProperty("type", JsonValue.from("object"))
                  .putAdditionalProperty(
                      "properties",
                      JsonValue.from(
                          Map.of(
                              "location", Map.of("type", "string"),
                              "units", Map.of("type", "string", "enum", List.of("c", "f")))))
                  .putAdditionalProperty("required", JsonValue.from(List.of("location", "units")))
                  .build())
          .build();

  private ClientSide() {}

  /** One event of a server-sent event stream; {@code name} is null for an unnamed event. */
  record Event(String name, String data) {
    JsonNode json() {
      return parse(data);
    }
  }

  /** The official client without retries, so that each test sees exactly one attempt. */
  static OpenAIClient sdk(GatewayServer gateway, String apiKey) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1")
        .apiKey(apiKey)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  static List<ChatCompletionChunk> streamAll(
      OpenAIClient client, ChatCompletionCreateParams params) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    streamInto(client, params, chunks);
    return chunks;
  }

  /**
   * Streams into {@code chunks} as they come, so that a test still has them when a stream fails.
   */
  static void streamInto(
      OpenAIClient client, ChatCompletionCreateParams params, List<ChatCompletionChunk> chunks) {
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
  }

  static ChatCompletion accumulate(List<ChatCompletionChunk> chunks) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    chunks.forEach(accumulator::accumulate);
    return accumulator.chatCompletion();
  }

  static String text(List<ChatCompletionChunk> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    return text.toString();
  }

  static List<String> finishReasons(List<ChatCompletionChunk> chunks) {
    List<String> reasons = new ArrayList<>();
    chunks.forEach(
        c ->
            c.choices().forEach(ch -> ch.finishReason().ifPresent(f -> reasons.add(f.asString()))));
    return reasons;
  }

  /** A chat completion request as raw HTTP; {@code apiKey} may be null. */
  static HttpResponse<String> post(GatewayServer gateway, String apiKey, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A raw GET of {@code path}. */
  static HttpResponse<String> get(GatewayServer gateway, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(20))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A raw POST of {@code body} to {@code path} with these headers (name, value, ...). */
  static HttpResponse<String> postTo(
      GatewayServer gateway, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An official Anthropic client of the gateway, which retries nothing. */
  static com.anthropic.client.AnthropicClient anthropic(GatewayServer gateway, String apiKey) {
    return com.anthropic.client.okhttp.AnthropicOkHttpClient.builder()
        .baseUrl(gateway.baseUrl())
        .apiKey(apiKey)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  /**
   * The sum of every {@code /metrics} sample of {@code name} whose labels include {@code label}; 0
   * when there is none yet.
   */
  static double metricSum(GatewayServer gateway, String name, String label)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response
        .body()
        .lines()
        .filter(line -> line.startsWith(name + "{") && line.contains(label))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The events of a whole {@code text/event-stream} body, in order. */
  static List<Event> events(String body) {
    List<Event> events = new ArrayList<>();
    for (String frame : body.split("\n\n")) {
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line : frame.split("\n")) {
        if (line.startsWith("event:")) {
          name = line.substring("event:".length()).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring("data:".length()).strip());
        }
      }
      if (name != null || data.length() > 0) {
        events.add(new Event(name, data.toString()));
      }
    }
    return events;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
