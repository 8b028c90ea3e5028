package io.feathergate.bench.jmh;

import io.feathergate.core.spi.SseEvent;
import io.feathergate.transport.SseDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The transport's byte-level SSE parser on a recorded OpenAI stream ({@code
 * fixtures/openai/real_stream_text_include_usage.sse}: gpt-4o, 34 events, 8.7 KB, ending in the
 * usage chunk and {@code [DONE]}).
 *
 * <p>One op: a new {@link SseDecoder} (one per upstream response, as in {@code UpstreamExchange})
 * decodes the whole stream, then {@code finish}; every event goes to the Blackhole. {@code oneRead}
 * hands over the stream in a single buffer; {@code smallReads} in 64-byte reads, which split most
 * lines as TCP fragmentation does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseDecoderBench {
  static final String STREAM = "fixtures/openai/real_stream_text_include_usage.sse";
  private static final int EVENTS = 34;
  private static final int SMALL_READ = 64;

  private ByteBuffer[] whole;
  private ByteBuffer[] pieces;

  @Setup
  public void setUp() {
    byte[] bytes = Inputs.resource(STREAM);
    whole = new ByteBuffer[] {ByteBuffer.wrap(bytes)};
    List<ByteBuffer> reads = new ArrayList<>();
    for (int from = 0; from < bytes.length; from += SMALL_READ) {
      reads.add(ByteBuffer.wrap(bytes, from, Math.min(SMALL_READ, bytes.length - from)).slice());
    }
    pieces = reads.toArray(ByteBuffer[]::new);
    List<SseEvent> events = new ArrayList<>();
    decode(whole, events::add);
    List<SseEvent> fromPieces = new ArrayList<>();
    decode(pieces, fromPieces::add);
    if (events.size() != EVENTS || !fromPieces.equals(events)) {
      throw new IllegalStateException(STREAM + " does not decode to the " + EVENTS + " events");
    }
  }

  @Benchmark
  public void oneRead(Blackhole bh) {
    decode(whole, bh::consume);
  }

  @Benchmark
  public void smallReads(Blackhole bh) {
    decode(pieces, bh::consume);
  }

  private static void decode(ByteBuffer[] reads, Consumer<SseEvent> sink) {
    SseDecoder decoder = new SseDecoder(1 << 20);
    for (ByteBuffer read : reads) {
      read.rewind();
      decoder.feed(read, sink);
    }
    decoder.finish(sink);
  }
}
