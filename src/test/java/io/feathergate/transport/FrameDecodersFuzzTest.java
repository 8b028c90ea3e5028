package io.feathergate.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * What upstreams send, fuzzed: the frame decoders (SSE, JSON lines, AWS's binary event stream) cut
 * any bytes, arriving in any pieces, into events or refuse them with an {@link
 * UpstreamProtocolException} (a 502, or the end of a stream under way); anything else thrown is a
 * crash.
 */
class FrameDecodersFuzzTest {
  private static final List<Supplier<FrameDecoder>> DECODERS =
      List.of(
          () -> new SseDecoder(4096),
          () -> new NdjsonDecoder(4096),
          () -> new EventStreamDecoder(4096));

  @FuzzTest(maxDuration = "10s")
  void frames(FuzzedDataProvider data) {
    FrameDecoder decoder = DECODERS.get(data.consumeInt(0, DECODERS.size() - 1)).get();
    try {
      while (data.remainingBytes() > 0) {
        decoder.feed(ByteBuffer.wrap(data.consumeBytes(data.consumeInt(1, 64))), event -> {});
      }
      decoder.finish(event -> {});
    } catch (UpstreamProtocolException refused) {
      // a broken stream
    }
  }

  /**
   * The long run of {@link #frames}, for the benchmark's {@code fuzz} part: ten million inputs (in
   * a plain test run, like every fuzz test, it replays its kept inputs only).
   */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void framesLongRun(FuzzedDataProvider data) {
    frames(data);
  }
}
