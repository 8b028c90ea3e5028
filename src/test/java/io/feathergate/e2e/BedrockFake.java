package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.e2e.FakeUpstream.Received;
import io.feathergate.e2e.FakeUpstream.Reply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Bedrock's Converse and ConverseStream: requests checked as AWS checks them (the SigV4 signature
 * recomputed, temporary credentials' session token), answers in Converse's JSON, streams as binary
 * event-stream messages with CRCs, usage in {@code metadata} after {@code messageStop}, errors
 * named in {@code x-amzn-ErrorType}.
 */
final class BedrockFake implements ProviderFake {
  static final String ACCESS_KEY_ID = "ASIACONTRACTEXAMPLE1";
  static final String SECRET_KEY = "contract/Secret+Access+Key/0123456789abcd";
  static final String SESSION_TOKEN = "contract-session-token-value";
  static final String REGION = "us-east-1";
  static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  @Override
  public String name() {
    return "bedrock";
  }

  @Override
  public Map<String, String> litellmParams(String origin) {
    return Map.of(
        "model", "bedrock/" + MODEL,
        "aws_bedrock_runtime_endpoint", origin,
        "aws_access_key_id", ACCESS_KEY_ID,
        "aws_session_token", SESSION_TOKEN,
        "aws_region_name", REGION);
  }

  @Override
  public String keyParam() {
    return "aws_secret_access_key";
  }

  @Override
  public String apiKey() {
    return SECRET_KEY;
  }

  static final String BASE_PATH = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";

  @Override
  public boolean rejects(Received request, Reply reply) throws IOException {
    if (!request.path().equals(BASE_PATH) && !request.path().equals(BASE_PATH + "-stream")) {
      error(reply, 404, "UnknownOperationException", "Unknown operation " + request.path());
      return true;
    }
    if (receivedKey(request) == null) {
      error(
          reply,
          403,
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided.");
      return true;
    }
    return false;
  }

  private static void error(Reply reply, int status, String type, String message)
      throws IOException {
    reply.whole(
        status,
        "application/json",
        "{\"message\":\"" + message + "\"}",
        Map.of("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"));
  }

  /** The secret key the signature proves, or null when it does not verify. */
  @Override
  public String receivedKey(Received request) {
    try {
      String problem = SigV4Verifier.problem(request, ACCESS_KEY_ID, SECRET_KEY, REGION, "bedrock");
      boolean token = SESSION_TOKEN.equals(request.headers().get("x-amz-security-token"));
      return problem == null && token ? SECRET_KEY : null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean askedForStream(Received request) {
    return request.path().endsWith("/converse-stream");
  }

  private static JsonNode lastMessage(Received request) {
    JsonNode messages = ProviderFake.body(request).path("messages");
    return messages.get(messages.size() - 1);
  }

  @Override
  public String lastUserText(Received request) {
    for (JsonNode block : lastMessage(request).path("content")) {
      if (block.has("text")) {
        return block.get("text").asText();
      }
    }
    return null;
  }

  @Override
  public List<String> declaredTools(Received request) {
    List<String> names = new ArrayList<>();
    ProviderFake.body(request)
        .at("/toolConfig/tools")
        .forEach(t -> names.add(t.at("/toolSpec/name").asText()));
    return names;
  }

  @Override
  public ToolResult toolResult(Received request) {
    for (JsonNode block : lastMessage(request).path("content")) {
      JsonNode result = block.get("toolResult");
      if (result != null) {
        return new ToolResult(
            result.path("toolUseId").asText(), null, result.at("/content/0/text").asText());
      }
    }
    return null;
  }

  private static ObjectNode usage(Usage usage) {
    return ClientSide.JSON
        .createObjectNode()
        .put("inputTokens", usage.prompt())
        .put("outputTokens", usage.completion())
        .put("totalTokens", usage.total());
  }

  private static String converse(ObjectNode block, String stopReason, Usage usage) {
    ObjectNode response = ClientSide.JSON.createObjectNode();
    ObjectNode message = response.putObject("output").putObject("message");
    message.put("role", "assistant");
    message.putArray("content").add(block);
    response.put("stopReason", stopReason);
    response.set("usage", usage(usage));
    response.putObject("metrics").put("latencyMs", 321);
    return response.toString();
  }

  @Override
  public void answerText(Received request, Reply reply, String text, Usage usage)
      throws IOException {
    reply.json(
        200, converse(ClientSide.JSON.createObjectNode().put("text", text), "end_turn", usage));
  }

  @Override
  public void answerToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    ObjectNode block = ClientSide.JSON.createObjectNode();
    block
        .putObject("toolUse")
        .put("toolUseId", "tooluse_" + call.id())
        .put("name", call.name())
        .set("input", ClientSide.parse(call.arguments()));
    reply.json(200, converse(block, "tool_use", usage));
  }

  /** One event-stream message. */
  static byte[] frame(String messageType, String type, String payload) {
    byte[] headers = headers(messageType, type);
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    int total = 12 + headers.length + body.length + 4;
    ByteBuffer out = ByteBuffer.allocate(total);
    out.putInt(total).putInt(headers.length);
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, 8);
    out.putInt((int) crc.getValue());
    out.put(headers).put(body);
    crc = new CRC32();
    crc.update(out.array(), 0, total - 4);
    out.putInt((int) crc.getValue());
    return out.array();
  }

  private static byte[] headers(String messageType, String type) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    String typeHeader = messageType.equals("event") ? ":event-type" : ":exception-type";
    for (String[] header :
        new String[][] {
          {":message-type", messageType}, {typeHeader, type}, {":content-type", "application/json"}
        }) {
      byte[] name = header[0].getBytes(StandardCharsets.UTF_8);
      byte[] value = header[1].getBytes(StandardCharsets.UTF_8);
      out.write(name.length);
      out.writeBytes(name);
      out.write(7);
      out.write(value.length >> 8);
      out.write(value.length & 0xff);
      out.writeBytes(value);
    }
    return out.toByteArray();
  }

  private static void event(Reply reply, String type, String payload) throws IOException {
    // every payload carries Bedrock's random padding
    String padded = payload.substring(0, payload.length() - 1) + ",\"p\":\"abcdefgh\"}";
    reply.chunk(frame("event", type, padded));
  }

  @Override
  public void startStream(Received request, Reply reply, Usage usage) throws IOException {
    reply.startStream("application/vnd.amazon.eventstream", Map.of());
    event(reply, "messageStart", "{\"role\":\"assistant\"}");
  }

  @Override
  public void streamText(Reply reply, String delta) throws IOException {
    ObjectNode payload = ClientSide.JSON.createObjectNode().put("contentBlockIndex", 0);
    payload.putObject("delta").put("text", delta);
    event(reply, "contentBlockDelta", payload.toString());
  }

  @Override
  public void endStream(Received request, Reply reply, Usage usage) throws IOException {
    end(reply, "end_turn", usage);
  }

  private static void end(Reply reply, String stopReason, Usage usage) throws IOException {
    event(reply, "contentBlockStop", "{\"contentBlockIndex\":0}");
    event(reply, "messageStop", "{\"stopReason\":\"" + stopReason + "\"}");
    ObjectNode metadata = ClientSide.JSON.createObjectNode();
    metadata.set("usage", usage(usage));
    metadata.putObject("metrics").put("latencyMs", 100);
    event(reply, "metadata", metadata.toString());
    reply.endStream();
  }

  @Override
  public void streamToolCall(Received request, Reply reply, ToolCall call, Usage usage)
      throws IOException {
    reply.startStream("application/vnd.amazon.eventstream", Map.of());
    event(reply, "messageStart", "{\"role\":\"assistant\"}");
    ObjectNode start = ClientSide.JSON.createObjectNode().put("contentBlockIndex", 0);
    start
        .putObject("start")
        .putObject("toolUse")
        .put("toolUseId", "tooluse_" + call.id())
        .put("name", call.name());
    event(reply, "contentBlockStart", start.toString());
    String arguments = call.arguments();
    int half = arguments.length() / 2;
    for (String fragment : List.of(arguments.substring(0, half), arguments.substring(half))) {
      ObjectNode delta = ClientSide.JSON.createObjectNode().put("contentBlockIndex", 0);
      delta.putObject("delta").putObject("toolUse").put("input", fragment);
      event(reply, "contentBlockDelta", delta.toString());
    }
    end(reply, "tool_use", usage);
  }

  private static UpstreamError error(
      int status, String type, String message, String clientType, String part) {
    return new UpstreamError(
        status,
        "application/json",
        "{\"message\":\"" + message + "\"}",
        new ClientError(clientType, type, part),
        Map.of("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"));
  }

  @Override
  public UpstreamError error(ErrorClass kind, boolean streamRequested) {
    return switch (kind) {
      case INVALID_REQUEST ->
          error(
              400,
              "ValidationException",
              "A conversation must start with a user message.",
              "invalid_request_error",
              "must start with a user message");
      case AUTHENTICATION ->
          error(
              403,
              "UnrecognizedClientException",
              "The security token included in the request is invalid.",
              "authentication_error",
              "security token");
      case MODEL_NOT_FOUND ->
          error(
              404,
              "ResourceNotFoundException",
              "Could not resolve the foundation model from the provided model identifier.",
              "not_found_error",
              "Could not resolve");
      case RATE_LIMIT ->
          error(
              429,
              "ThrottlingException",
              "Too many requests, please wait before trying again.",
              "rate_limit_error",
              "Too many requests");
      case SERVER_ERROR ->
          error(
              500,
              "InternalServerException",
              "The server encountered an internal error.",
              "server_error",
              "internal error");
      case OVERLOADED ->
          error(
              503,
              "ServiceUnavailableException",
              "Bedrock is unable to process your request.",
              "server_error",
              "unable to process");
    };
  }

  @Override
  public StreamFailure streamFailure() {
    byte[] frame =
        frame(
            "exception",
            "throttlingException",
            "{\"message\":\"Too many tokens, please wait before trying again.\"}");
    return new StreamFailure(
        new String(frame, StandardCharsets.ISO_8859_1),
        new ClientError("rate_limit_error", "ThrottlingException", "Too many tokens"));
  }

  @Override
  public void sendStreamFailure(Reply reply, StreamFailure failure) throws IOException {
    reply.chunk(failure.event().getBytes(StandardCharsets.ISO_8859_1));
  }
}
