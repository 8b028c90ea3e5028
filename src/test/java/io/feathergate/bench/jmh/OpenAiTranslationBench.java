package io.feathergate.bench.jmh;

import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.UpstreamRequest;
import io.feathergate.provider.openai.OpenAiAdapter;
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
 * The OpenAI passthrough through the {@link ProviderAdapter} SPI. (A non-streaming OpenAI answer is
 * returned as it came after a first-byte check, so it has no benchmark.)
 *
 * <p>{@code requestToUpstream}, one op: {@code toUpstream} of the recorded tool round trip ({@link
 * Inputs#TOOL_ROUND_TRIP_REQUEST}): the model replaced, the body serialised, headers built.
 *
 * <p>{@code streamToChunks}, one op: a new stream decoder fed every event of a recorded gpt-4o
 * stream ({@value SseDecoderBench#STREAM}: 34 events, 33 chunks and {@code [DONE]}), then {@code
 * onEnd}; per event, divide by 34.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpenAiTranslationBench {
  private static final String MODEL = "gpt-4o-2024-08-06";

  private final ProviderAdapter adapter = new OpenAiAdapter();
  private ChatRequest request;
  private Route route;
  private StreamContext streamContext;
  private List<SseEvent> events;

  @Setup
  public void setUp(Blackhole bh) {
    request = Inputs.request(Inputs.TOOL_ROUND_TRIP_REQUEST);
    route = Inputs.route("openai", MODEL);
    streamContext = Inputs.context(Inputs.streaming(request), MODEL);
    events = Inputs.events(SseDecoderBench.STREAM);
    if (Inputs.replay(adapter.newStreamDecoder(streamContext), events, bh) != 33) {
      throw new IllegalStateException("the OpenAI stream does not pass 33 chunks");
    }
  }

  @Benchmark
  public UpstreamRequest requestToUpstream() {
    return adapter.toUpstream(request, route);
  }

  @Benchmark
  public int streamToChunks(Blackhole bh) {
    return Inputs.replay(adapter.newStreamDecoder(streamContext), events, bh);
  }
}
