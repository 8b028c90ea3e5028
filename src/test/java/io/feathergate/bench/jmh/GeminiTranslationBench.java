package io.feathergate.bench.jmh;

import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.provider.gemini.GeminiAdapter;
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
 * The Gemini translator through the {@link ProviderAdapter} SPI ({@code GeminiRequestMapper},
 * {@code GeminiResponseMapper}, {@code GeminiStreamDecoder} behind {@link GeminiAdapter}).
 *
 * <p>{@code requestToUpstream}, one op: {@code toUpstream} of the recorded tool round trip ({@link
 * Inputs#TOOL_ROUND_TRIP_REQUEST}) into a {@code generateContent} body (tool schema converted),
 * serialised, with its URL and headers.
 *
 * <p>{@code responseToOpenAi}, one op: {@code fromUpstream} of a recorded {@code generateContent}
 * response with a thought part ({@code golden/gemini/recorded_thinking_thought_parts}) into a
 * serialised {@code chat.completion}.
 *
 * <p>{@code streamToChunks}, one op: a new stream decoder fed every event of a Gemini {@code
 * alt=sse} stream ({@value #STREAM}, from the generative-ai-js SDK's mocks: 6 events, 6 KB with
 * safety ratings), then {@code onEnd}; the client asked for the usage chunk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GeminiTranslationBench {
  static final String STREAM =
      "fixtures/gemini/generative-ai-js-mocks/streaming-success-basic-reply-long.txt";
  private static final String CASE = "golden/gemini/recorded_thinking_thought_parts/";
  private static final String MODEL = "gemini-2.5-flash";

  private final ProviderAdapter adapter = new GeminiAdapter();
  private ChatRequest request;
  private Route route;
  private byte[] response;
  private StreamContext context;
  private StreamContext streamContext;
  private List<SseEvent> events;

  @Setup
  public void setUp(Blackhole bh) {
    request = Inputs.request(Inputs.TOOL_ROUND_TRIP_REQUEST);
    route = Inputs.route("gemini", MODEL);
    response = Inputs.json(CASE + "upstream_response.json");
    context = Inputs.context(Inputs.request(CASE + "client_request.json"), MODEL);
    streamContext =
        Inputs.context(
            Inputs.request("golden/gemini/mock_stream_basic_long/client_request.json"), MODEL);
    events = Inputs.events(STREAM);
    if (!streamContext.clientRequest().includeUsage()
        || Inputs.replay(adapter.newStreamDecoder(streamContext), events, bh) == 0) {
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
