package io.feathergate.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's named-event stream as OpenAI chunks (protocols.md §4): the message start becomes the
 * role chunk, text and thinking deltas become content and reasoning deltas, each {@code tool_use}
 * block becomes one tool call whose argument fragments follow under the same {@code index}, the
 * message delta becomes the finish chunk, and the usage chunk comes last when the client asked for
 * it. Blocks are tracked by their Anthropic index, so a server tool's JSON or a late delta never
 * lands in the wrong call.
 */
final class AnthropicStreamDecoder implements StreamDecoder {

  private enum Kind {
    TEXT,
    TOOL,
    /** the JSON-mode tool: its arguments are the answer's content */
    JSON_ANSWER,
    THINKING,
    /** server tools, their results, compaction, redacted thinking: nothing to stream */
    OTHER
  }

  private static final class Block {
    final Kind kind;
    final int toolIndex;
    boolean gotArguments;
    final StringBuilder thinking;

    Block(Kind kind, int toolIndex) {
      this.kind = kind;
      this.toolIndex = toolIndex;
      this.thinking = kind == Kind.THINKING ? new StringBuilder() : null;
    }
  }

  private final StreamContext context;
  private final boolean jsonMode;
  private final Map<Integer, Block> openBlocks = new LinkedHashMap<>();
  private ChunkWriter writer;
  private AnthropicUsage usage = AnthropicUsage.NONE;
  private int toolCalls;
  private boolean jsonAnswered;
  private boolean finished;
  private boolean usageSent;
  private boolean usageReported;

  AnthropicStreamDecoder(StreamContext context) {
    this.context = context;
    this.jsonMode = JsonMode.requested(context.clientRequest().body());
  }

  @Override
  public void onEvent(SseEvent event, List<String> out) {
    JsonNode data = parse(event.data());
    if (data == null) {
      return;
    }
    String type = data.path("type").asText(event.event() == null ? "" : event.event());
    if (type.equals("error") || "error".equals(event.event())) {
      throw AnthropicErrors.fromStreamError(data);
    }
    switch (type) {
      case "message_start" -> start(data.path("message"), out);
      case "content_block_start" -> blockStart(data, out);
      case "content_block_delta" -> blockDelta(data, out);
      case "content_block_stop" -> blockStop(data.path("index").asInt(), out);
      case "message_delta" -> messageDelta(data, out);
      case "message_stop" -> messageStop(out);
      default -> {
        // ping, and event types added after this was written: Anthropic says to ignore them
      }
    }
  }

  @Override
  public void onEnd(List<String> out) {
    if (writer == null) {
      throw GatewayException.upstreamProtocol("the Anthropic stream ended before it began");
    }
    if (!finished) {
      throw GatewayException.upstreamProtocol(
          "the Anthropic stream ended before the message was complete");
    }
    sendUsage(out);
  }

  /** The event's JSON, or null for an event without a JSON object (a keep-alive). */
  private static JsonNode parse(String data) {
    String trimmed = data.strip();
    if (!trimmed.startsWith("{")) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(trimmed);
    } catch (JsonProcessingException e) {
      throw GatewayException.upstreamProtocol(
          "an Anthropic stream event is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private void start(JsonNode message, List<String> out) {
    if (writer != null) {
      return;
    }
    writer =
        new ChunkWriter(
            AnthropicJson.textOr(message.get("id"), context.responseId()),
            context.createdEpochSeconds(),
            AnthropicJson.textOr(message.get("model"), context.upstreamModel()));
    usage = AnthropicUsage.from(message.get("usage"));
    usageReported |= message.hasNonNull("usage");
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.put("role", "assistant");
    delta.put("content", "");
    out.add(writer.delta(delta));
  }

  private void ensureStarted(List<String> out) {
    if (writer == null) {
      start(MissingNode.getInstance(), out);
    }
  }

  private void blockStart(JsonNode data, List<String> out) {
    ensureStarted(out);
    int index = data.path("index").asInt();
    JsonNode block = data.path("content_block");
    switch (block.path("type").asText()) {
      case "text" -> {
        openBlocks.put(index, new Block(Kind.TEXT, -1));
        content(block.path("text").asText(), out);
      }
      case "tool_use" -> toolStart(index, block, out);
      case "thinking" -> {
        Block thinking = new Block(Kind.THINKING, -1);
        openBlocks.put(index, thinking);
        reasoning(thinking, block.path("thinking").asText(), out);
      }
      case "redacted_thinking" -> {
        openBlocks.put(index, new Block(Kind.OTHER, -1));
        thinkingBlock(block, out);
      }
      default -> openBlocks.put(index, new Block(Kind.OTHER, -1));
    }
  }

  private void toolStart(int index, JsonNode block, List<String> out) {
    JsonNode input = block.path("input");
    boolean prefilled = input.isObject() && !input.isEmpty();
    if (jsonMode && JsonMode.TOOL_NAME.equals(block.path("name").asText())) {
      Block answer = new Block(Kind.JSON_ANSWER, -1);
      openBlocks.put(index, answer);
      jsonAnswered = true;
      if (prefilled) {
        answer.gotArguments = true;
        content(Json.text(input), out);
      }
      return;
    }
    Block tool = new Block(Kind.TOOL, toolCalls++);
    openBlocks.put(index, tool);
    ObjectNode call = Json.MAPPER.createObjectNode();
    call.put("index", tool.toolIndex);
    call.set("id", block.get("id"));
    call.put("type", "function");
    ObjectNode function = call.putObject("function");
    function.set("name", block.get("name"));
    function.put("arguments", "");
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.putArray("tool_calls").add(call);
    out.add(writer.delta(delta));
    if (prefilled) {
      arguments(tool, Json.text(input), out);
    }
  }

  private void blockDelta(JsonNode data, List<String> out) {
    ensureStarted(out);
    Block block = openBlocks.get(data.path("index").asInt());
    JsonNode delta = data.path("delta");
    switch (delta.path("type").asText()) {
      case "text_delta" -> {
        if (block == null || block.kind == Kind.TEXT) {
          content(delta.path("text").asText(), out);
        }
      }
      case "input_json_delta" -> {
        if (block != null) {
          String fragment = delta.path("partial_json").asText();
          if (block.kind == Kind.TOOL) {
            arguments(block, fragment, out);
          } else if (block.kind == Kind.JSON_ANSWER && !fragment.isEmpty()) {
            block.gotArguments = true;
            content(fragment, out);
          }
        }
      }
      case "thinking_delta" -> {
        if (block != null && block.kind == Kind.THINKING) {
          reasoning(block, delta.path("thinking").asText(), out);
        }
      }
      case "signature_delta" -> {
        if (block != null && block.kind == Kind.THINKING) {
          ObjectNode signed = Json.MAPPER.createObjectNode();
          signed.put("type", "thinking");
          signed.put("thinking", block.thinking.toString());
          signed.set("signature", delta.get("signature"));
          thinkingBlock(signed, out);
        }
      }
      default -> {
        // citations and delta types added later: no OpenAI counterpart
      }
    }
  }

  private void blockStop(int index, List<String> out) {
    Block block = openBlocks.remove(index);
    if (block != null) {
      close(block, out);
    }
  }

  /** A tool block that got no argument fragment still owes the client a JSON object. */
  private void close(Block block, List<String> out) {
    if (block.gotArguments) {
      return;
    }
    if (block.kind == Kind.TOOL) {
      arguments(block, "{}", out);
    } else if (block.kind == Kind.JSON_ANSWER) {
      content("{}", out);
    }
  }

  private void messageDelta(JsonNode data, List<String> out) {
    ensureStarted(out);
    usage = usage.updatedWith(data.get("usage"));
    usageReported |= data.hasNonNull("usage");
    if (!finished) {
      JsonNode delta = data.path("delta");
      String stopReason = AnthropicJson.text(delta.get("stop_reason"));
      String refusal = StopReasons.refusal(stopReason, delta.get("stop_details"));
      if (refusal != null) {
        ObjectNode refusalDelta = Json.MAPPER.createObjectNode();
        refusalDelta.put("refusal", refusal);
        out.add(writer.delta(refusalDelta));
      }
      finish(stopReason, out);
    }
  }

  private void messageStop(List<String> out) {
    ensureStarted(out);
    if (!finished) {
      finish(null, out);
    }
    sendUsage(out);
  }

  /**
   * Ends the choice. Blocks still open were cut off (by {@code max_tokens}, with no {@code
   * content_block_stop}): they are closed first, so the stream still ends cleanly.
   */
  private void finish(String stopReason, List<String> out) {
    for (Block block : openBlocks.values()) {
      close(block, out);
    }
    openBlocks.clear();
    out.add(
        writer.finish(AnthropicResponseMapper.finishReason(stopReason, jsonAnswered, toolCalls)));
    finished = true;
  }

  @Override
  public TokenUsage usage() {
    return usageReported ? usage.tokens() : null;
  }

  private void sendUsage(List<String> out) {
    if (finished && !usageSent && context.clientRequest().includeUsage()) {
      out.add(writer.usage(usage.toOpenAi()));
    }
    usageSent = true;
  }

  private void content(String text, List<String> out) {
    if (!text.isEmpty()) {
      ObjectNode delta = Json.MAPPER.createObjectNode();
      delta.put("content", text);
      out.add(writer.delta(delta));
    }
  }

  private void reasoning(Block block, String text, List<String> out) {
    if (!text.isEmpty()) {
      block.thinking.append(text);
      ObjectNode delta = Json.MAPPER.createObjectNode();
      delta.put("reasoning_content", text);
      out.add(writer.delta(delta));
    }
  }

  private void arguments(Block tool, String fragment, List<String> out) {
    if (fragment.isEmpty()) {
      return; // Anthropic's first fragment is often empty
    }
    tool.gotArguments = true;
    ObjectNode call = Json.MAPPER.createObjectNode();
    call.put("index", tool.toolIndex);
    call.putObject("function").put("arguments", fragment);
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.putArray("tool_calls").add(call);
    out.add(writer.delta(delta));
  }

  /**
   * A whole thinking block, signature included, so that a client can send it back with the next
   * turn (Anthropic requires that when tools and thinking are combined).
   */
  private void thinkingBlock(JsonNode block, List<String> out) {
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.putArray("thinking_blocks").add(block);
    out.add(writer.delta(delta));
  }
}
