package io.feathergate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ProviderSpec;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * OpenAI chunks pass through as they came, once checked to be JSON objects. Dropped: keep-alive
 * events that carry nothing (blank, {@code null}, a re-emitted comment) and everything after {@code
 * [DONE]}. An {@code {"error":...}} event ends the stream with that error, and so does data that is
 * not a JSON object (a cut-off line, an HTML fragment): an upstream protocol error.
 */
final class OpenAiStreamDecoder implements StreamDecoder {
  private final ProviderSpec spec;
  private boolean done;
  private TokenUsage usage;

  OpenAiStreamDecoder() {
    this(ProviderTable.get("openai"));
  }

  OpenAiStreamDecoder(ProviderSpec spec) {
    this.spec = spec;
  }

  @Override
  public void onEvent(SseEvent event, List<String> out) {
    if (done) {
      return;
    }
    String data = event.data();
    String trimmed = data.strip();
    if (trimmed.equals("[DONE]")) {
      done = true;
      return;
    }
    if (trimmed.isEmpty() || trimmed.equals("null") || trimmed.startsWith(":")) {
      return; // keep-alives, and comments some proxies re-emit as data
    }
    if ("error".equals(event.event()) || startsWithErrorKey(trimmed)) {
      throw streamError(trimmed);
    }
    if (!Json.isObject(trimmed)) {
      // relaying it would hand every client a parse error of its own, after a 200
      throw GatewayException.upstreamProtocol("a stream event's data is not a JSON object");
    }
    // data split over several data: lines arrives joined by line feeds, which in a valid object
    // can only be whitespace between tokens; relayed as they are, they would end the client's
    // data line early and break its framing
    String chunk = data.indexOf('\n') < 0 && data.indexOf('\r') < 0 ? data : oneLine(data);
    chunk = OpenAiQuirks.applyToChunk(spec, chunk);
    // the last report wins: some upstreams send cumulative usage with every chunk
    TokenUsage reported = UsageScanner.find(chunk);
    if (reported != null) {
      usage = reported;
    }
    out.add(chunk);
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  @Override
  public void onEnd(List<String> out) {
    // nothing is held back between events
  }

  /** Cheap test before parsing: only error events are parsed at all. */
  static boolean startsWithErrorKey(String json) {
    int i = 1;
    while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
      i++;
    }
    return json.startsWith("\"error\"", i);
  }

  static GatewayException streamError(String json) {
    JsonNode root = Json.readOrNull(json.getBytes(StandardCharsets.UTF_8));
    JsonNode error = root == null ? null : root.get("error");
    if (error != null && error.isObject()) {
      return OpenAiErrors.fromErrorObject(500, error);
    }
    return GatewayException.upstreamProtocol("the stream reported an error: " + json);
  }

  private static String oneLine(String json) {
    return json.replace('\r', ' ').replace('\n', ' ');
  }
}
