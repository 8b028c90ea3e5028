package io.feathergate.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.NativeApi;
import io.feathergate.core.spi.NativeHandler;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.core.spi.UnsupportedParams;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ollama's {@code /api/chat}. {@code ollama/} is served here too, so that the model's own chat
 * template applies (LiteLLM renders a prompt for {@code /api/generate} instead). {@code
 * tool_choice} is left out, as in LiteLLM (Ollama has none, and some versions hang on it).
 */
public final class OllamaAdapter implements ProviderAdapter {
  static final Set<String> SUPPORTED =
      Set.of(
          "model",
          "messages",
          "stream",
          "stream_options",
          "temperature",
          "top_p",
          "max_tokens",
          "max_completion_tokens",
          "stop",
          "seed",
          "frequency_penalty",
          "presence_penalty",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "response_format",
          "user",
          "n");

  private final ProviderSpec spec;
  private final NativeHandler embeddings;

  public OllamaAdapter(ProviderSpec spec) {
    this.spec = spec;
    this.embeddings = new OllamaEmbeddings(spec);
  }

  @Override
  public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
    Deployment deployment = route.deployment();
    ObjectNode client = Json.MAPPER.createObjectNode().setAll(clientRequest.body());
    UnsupportedParams.enforce(client, "Ollama", SUPPORTED, deployment.dropParams());
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", route.upstreamModel());
    body.set("messages", messages(client.path("messages")));
    body.put("stream", clientRequest.stream()); // Ollama streams unless told not to
    ObjectNode options = Json.MAPPER.createObjectNode();
    JsonNode maxTokens =
        client.hasNonNull("max_completion_tokens")
            ? client.get("max_completion_tokens")
            : client.get("max_tokens");
    if (maxTokens != null && !maxTokens.isNull()) {
      options.set("num_predict", maxTokens);
    }
    for (String name :
        List.of("temperature", "top_p", "seed", "frequency_penalty", "presence_penalty")) {
      if (client.hasNonNull(name)) {
        options.set(name, client.get(name));
      }
    }
    JsonNode stop = client.get("stop");
    if (stop != null && stop.isTextual()) {
      options.putArray("stop").add(stop.asText());
    } else if (stop != null && stop.isArray()) {
      options.set("stop", stop);
    }
    if (client.get("options") instanceof ObjectNode given) {
      given.fields().forEachRemaining(f -> options.putIfAbsent(f.getKey(), f.getValue()));
    }
    if (!options.isEmpty()) {
      body.set("options", options);
    }
    if (client.get("tools") instanceof ArrayNode tools && !tools.isEmpty()) {
      body.set("tools", tools);
    }
    JsonNode format = client.path("response_format");
    switch (format.path("type").asText("")) {
      case "json_object" -> body.put("format", "json");
      case "json_schema" -> body.set("format", format.at("/json_schema/schema"));
      default -> {
        // text, or none
      }
    }
    for (String passed : List.of("think", "keep_alive")) {
      if (client.hasNonNull(passed)) {
        body.set(passed, client.get(passed));
      }
    }
    return UpstreamRequest.post(
        chatUri(spec.apiBaseFor(deployment)),
        headers(deployment),
        Json.bytes(body),
        clientRequest.stream(),
        deployment);
  }

  @Override
  public NativeHandler nativeHandler(NativeApi api) {
    return api == NativeApi.OPENAI_EMBEDDINGS ? embeddings : null;
  }

  /** JSON, the key as a bearer when the server wants one, the deployment's extra headers. */
  static Map<String, String> headers(Deployment deployment) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    if (deployment.apiKey() != null) {
      headers.put("Authorization", "Bearer " + deployment.apiKey().reveal());
    }
    headers.putAll(deployment.extraHeaders());
    return headers;
  }

  /** {@code {base}/api/chat}. */
  static URI chatUri(URI apiBase) {
    return uri(apiBase, "/api/chat");
  }

  /**
   * {@code {base}{path}} ({@code /api/chat}, {@code /api/embed}), whether the base was written bare
   * or with {@code /api}, {@code /api/chat} or {@code /v1}.
   */
  static URI uri(URI apiBase, String path) {
    String base = apiBase.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    for (String suffix : List.of("/api/chat", "/api", "/v1")) {
      if (base.endsWith(suffix)) {
        base = base.substring(0, base.length() - suffix.length());
        break;
      }
    }
    return URI.create(base + path);
  }

  private static ArrayNode messages(JsonNode clientMessages) {
    ArrayNode messages = Json.MAPPER.createArrayNode();
    Map<String, String> toolNames = new LinkedHashMap<>();
    for (int i = 0; i < clientMessages.size(); i++) {
      JsonNode message = clientMessages.get(i);
      String path = "messages[" + i + "]";
      ObjectNode out = messages.addObject();
      String role = message.path("role").asText("user");
      out.put("role", role.equals("developer") ? "system" : role);
      JsonNode content = message.get("content");
      if (content == null || content.isNull()) {
        out.put("content", "");
      } else if (content.isTextual()) {
        out.put("content", content.asText());
      } else if (content.isArray()) {
        StringBuilder text = new StringBuilder();
        ArrayNode images = Json.MAPPER.createArrayNode();
        for (JsonNode part : content) {
          switch (part.path("type").asText("")) {
            case "text" -> text.append(part.path("text").asText(""));
            case "image_url" ->
                images.add(image(part.path("image_url").path("url").asText(""), path));
            default ->
                throw GatewayException.badRequest(
                    "Ollama cannot take a content part of type '"
                        + part.path("type").asText("")
                        + "'.",
                    path + ".content");
          }
        }
        out.put("content", text.toString());
        if (!images.isEmpty()) {
          out.set("images", images);
        }
      } else {
        throw GatewayException.badRequest("content must be text or a list of parts.", path);
      }
      if (message.get("tool_calls") instanceof ArrayNode calls) {
        ArrayNode ollamaCalls = out.putArray("tool_calls");
        for (JsonNode call : calls) {
          String name = call.at("/function/name").asText("");
          toolNames.put(call.path("id").asText(""), name);
          String arguments = call.at("/function/arguments").asText("");
          JsonNode parsed =
              arguments.isBlank()
                  ? Json.MAPPER.createObjectNode()
                  : Json.readOrNull(arguments.getBytes(StandardCharsets.UTF_8));
          if (parsed == null || !parsed.isObject()) {
            throw GatewayException.badRequest(
                "The arguments of a tool call must be a JSON object for Ollama.",
                path + ".tool_calls");
          }
          ObjectNode function = ollamaCalls.addObject().putObject("function");
          function.put("name", name);
          function.set("arguments", parsed);
        }
      }
      if (role.equals("tool")) {
        String name = toolNames.get(message.path("tool_call_id").asText(""));
        if (name != null) {
          out.put("tool_name", name);
        }
      }
    }
    return messages;
  }

  private static String image(String url, String path) {
    int comma = url.indexOf(',');
    if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
      throw GatewayException.badRequest(
          "Ollama needs images inline: send them as base64 data: URLs.", path + ".content");
    }
    return url.substring(comma + 1);
  }

  // ---------------------------------------------------------------- answers

  static String finishReason(JsonNode answer, boolean toolCalls) {
    if (toolCalls) {
      return "tool_calls";
    }
    return "length".equals(answer.path("done_reason").asText()) ? "length" : "stop";
  }

  static ObjectNode usage(JsonNode answer) {
    if (!answer.has("prompt_eval_count") && !answer.has("eval_count")) {
      return null;
    }
    long prompt = answer.path("prompt_eval_count").asLong(0);
    long completion = answer.path("eval_count").asLong(0);
    return Json.MAPPER
        .createObjectNode()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }

  static ArrayNode toolCalls(
      JsonNode message, StreamContext context, int firstIndex, boolean indexed) {
    ArrayNode calls = Json.MAPPER.createArrayNode();
    int index = firstIndex;
    for (JsonNode call : message.path("tool_calls")) {
      ObjectNode openAi = calls.addObject();
      if (indexed) {
        openAi.put("index", index++);
      }
      openAi.put("id", context.ids().toolCallId());
      openAi.put("type", "function");
      JsonNode arguments = call.at("/function/arguments");
      openAi
          .putObject("function")
          .put("name", call.at("/function/name").asText())
          .put(
              "arguments",
              arguments.isTextual()
                  ? arguments.asText()
                  : Json.text(
                      arguments.isMissingNode() ? Json.MAPPER.createObjectNode() : arguments));
    }
    return calls;
  }

  @Override
  public ChatCompletion fromUpstream(byte[] upstreamBody, StreamContext context) {
    JsonNode answer = Json.readOrNull(upstreamBody);
    if (!(answer instanceof ObjectNode)) {
      throw GatewayException.upstreamProtocol("the Ollama response body is not a JSON object");
    }
    if (answer.path("error").isTextual()) {
      throw new GatewayException(
          500, "server_error", answer.get("error").asText(), null, "500", true);
    }
    JsonNode message = answer.path("message");
    ArrayNode calls = toolCalls(message, context, 0, false);
    ObjectNode completion = Json.MAPPER.createObjectNode();
    completion.put("id", context.responseId());
    completion.put("object", "chat.completion");
    completion.put("created", context.createdEpochSeconds());
    completion.put("model", answer.path("model").asText(context.upstreamModel()));
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode out = choice.putObject("message");
    out.put("role", "assistant");
    String content = message.path("content").asText("");
    if (content.isEmpty() && !calls.isEmpty()) {
      out.putNull("content");
    } else {
      out.put("content", content);
    }
    if (!message.path("thinking").asText("").isEmpty()) {
      out.put("reasoning_content", message.get("thinking").asText());
    }
    if (!calls.isEmpty()) {
      out.set("tool_calls", calls);
    }
    choice.put("finish_reason", finishReason(answer, !calls.isEmpty()));
    ObjectNode usage = usage(answer);
    if (usage != null) {
      completion.set("usage", usage);
    }
    return ChatCompletion.of(completion);
  }

  @Override
  public StreamDecoder newStreamDecoder(StreamContext context) {
    return new OllamaStreamDecoder(context);
  }

  @Override
  public GatewayException toError(int status, Map<String, String> headers, byte[] body) {
    JsonNode json = Json.readOrNull(body);
    String message =
        json != null && json.path("error").isTextual()
            ? json.get("error").asText()
            : new String(body, StandardCharsets.UTF_8).strip();
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    if (message.isEmpty()) {
      message = "Ollama returned HTTP " + status;
    }
    return new GatewayException(
        status,
        GatewayException.typeForStatus(status),
        message,
        null,
        Integer.toString(status),
        GatewayException.isRetryableStatus(status));
  }

  /** One NDJSON line a chunk; the last ({@code done:true}) carries the finish and the usage. */
  private static final class OllamaStreamDecoder implements StreamDecoder {
    private final StreamContext context;
    private boolean started;
    private boolean done;
    private int toolCalls;
    private TokenUsage usage;

    OllamaStreamDecoder(StreamContext context) {
      this.context = context;
    }

    @Override
    public void onEvent(SseEvent event, List<String> out) {
      if (done) {
        return;
      }
      JsonNode line = Json.readOrNull(event.data().getBytes(StandardCharsets.UTF_8));
      if (!(line instanceof ObjectNode)) {
        throw GatewayException.upstreamProtocol("an Ollama stream line is not a JSON object");
      }
      if (line.path("error").isTextual()) {
        throw new GatewayException(
            500, "server_error", line.get("error").asText(), null, "500", true);
      }
      JsonNode message = line.path("message");
      if (!started) {
        started = true;
        out.add(
            chunk(
                Json.MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null));
      }
      String content = message.path("content").asText("");
      if (!content.isEmpty()) {
        out.add(chunk(Json.MAPPER.createObjectNode().put("content", content), null));
      }
      String thinking = message.path("thinking").asText("");
      if (!thinking.isEmpty()) {
        out.add(chunk(Json.MAPPER.createObjectNode().put("reasoning_content", thinking), null));
      }
      if (message.path("tool_calls").isArray() && !message.get("tool_calls").isEmpty()) {
        ArrayNode calls = toolCalls(message, context, toolCalls, true);
        toolCalls += calls.size();
        ObjectNode delta = Json.MAPPER.createObjectNode();
        delta.set("tool_calls", calls);
        out.add(chunk(delta, null));
      }
      if (line.path("done").asBoolean(false)) {
        done = true;
        out.add(chunk(Json.MAPPER.createObjectNode(), finishReason(line, toolCalls > 0)));
        ObjectNode openAiUsage = OllamaAdapter.usage(line);
        usage = TokenUsage.of(openAiUsage);
        if (openAiUsage != null && context.clientRequest().includeUsage()) {
          ObjectNode usageChunk = base();
          usageChunk.putArray("choices");
          usageChunk.set("usage", openAiUsage);
          out.add(Json.text(usageChunk));
        }
      }
    }

    @Override
    public void onEnd(List<String> out) {
      if (!done) {
        throw GatewayException.upstreamProtocol("the Ollama stream ended before its done line");
      }
    }

    @Override
    public TokenUsage usage() {
      return usage;
    }

    private ObjectNode base() {
      ObjectNode chunk = Json.MAPPER.createObjectNode();
      chunk.put("id", context.responseId());
      chunk.put("object", "chat.completion.chunk");
      chunk.put("created", context.createdEpochSeconds());
      chunk.put("model", context.upstreamModel());
      return chunk;
    }

    private String chunk(ObjectNode delta, String finish) {
      ObjectNode chunk = base();
      ObjectNode choice = chunk.putArray("choices").addObject();
      choice.put("index", 0);
      choice.set("delta", delta);
      if (finish == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finish);
      }
      return Json.text(chunk);
    }
  }
}
