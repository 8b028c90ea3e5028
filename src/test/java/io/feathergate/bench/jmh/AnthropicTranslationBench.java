package io.feathergate.bench.jmh;

import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.provider.anthropic.AnthropicAdapter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Anthropic translator through the {@link ProviderAdapter} SPI ({@code AnthropicRequestMapper},
 * {@code AnthropicResponseMapper}, {@code AnthropicStreamDecoder} behind {@link AnthropicAdapter}).
 *
 * <p>{@code requestToUpstream}, one op: {@code toUpstream} of the recorded tool round trip ({@link
 * Inputs#TOOL_ROUND_TRIP_REQUEST}) into a Messages API body, serialised, with its headers.
 *
 * <p>{@code responseToOpenAi}, one op: {@code fromUpstream} of a recorded Messages response with
 * one {@code tool_use} block ({@code golden/anthropic/tools_single_recorded}) into a serialised
 * {@code chat.completion}.
 *
 * <p>{@code streamToChunks}, one op: a new stream decoder fed every event of a recorded stream
 * ({@value #STREAM}: 15 events; text, then a {@code tool_use} block with its argument fragments),
 * then {@code onEnd}; the client asked for the usage chunk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AnthropicTranslationBench {
  static final String STREAM = "fixtures/anthropic/tool_use_response.txt";
  private static final String RESPONSE =
      "golden/anthropic/tools_single_recorded/upstream_response.json";
  private static final String MODEL = "claude-haiku-4-5";

  private final ProviderAdapter adapter = new AnthropicAdapter();
  private ChatRequest request;
  private Route route;
  private byte[] response;
  private StreamContext context;
  private StreamContext streamContext;
  private List<SseEvent> events;

  @Setup
  public void setUp(Blackhole bh) {
    request = Inputs.request(Inputs.TOOL_ROUND_TRIP_REQUEST);
    route = Inputs.route("anthropic", MODEL);
    response = Inputs.json(RESPONSE);
    context =
        Inputs.context(
            Inputs.request("golden/anthropic/tools_single_recorded/client_request.json"), MODEL);
    streamContext =
        Inputs.context(
            Inputs.streaming(
                Inputs.request("golden/anthropic/stream_text_then_tool/client_request.json")),
            MODEL);
    events = Inputs.events(STREAM);
    if (Inputs.replay(adapter.newStreamDecoder(streamContext), events, bh) == 0) {
      throw new IllegalStateException(STREAM + " produces no chunk");
    }
  }

  @Benchmark
  public UpstreamRequest requestToUpstream() {
    return adapter.toUpstream(request, route);
  }

  @Benchmark
  public byte[] responseToOpenAi() {
    return adapter.fromUpstream(response, context).json();
  }

  @Benchmark
  public int streamToChunks(Blackhole bh) {
    return Inputs.replay(adapter.newStreamDecoder(streamContext), events, bh);
  }
}
