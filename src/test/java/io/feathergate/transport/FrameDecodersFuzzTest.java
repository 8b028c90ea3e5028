package io.feathergate.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * What upstreams send, fuzzed: the frame decoders (SSE, JSON lines, AWS's binary event stream) cut
 * any bytes, arriving in any pieces, into events or refuse them with an {@link
 * UpstreamProtocolException} (a 502, or the end of a stream under way); anything else thrown is a
 * crash.
 *
 * <p>An input is one byte that picks the decoder, one that picks how the rest is cut into pieces,
 * then the body as it came over the wire: the kept inputs are recorded upstream streams.
 */
class FrameDecodersFuzzTest {
  private static final List<Supplier<FrameDecoder>> DECODERS =
      List.of(
          () -> new SseDecoder(4096),
          () -> new NdjsonDecoder(4096),
          () -> new EventStreamDecoder(4096));

  @FuzzTest(maxDuration = "10s")
  void frames(byte[] input) {
    if (input.length < 2) {
      return;
    }
    FrameDecoder decoder = DECODERS.get(Byte.toUnsignedInt(input[0]) % DECODERS.size()).get();
    int cuts = Byte.toUnsignedInt(input[1]);
    try {
      for (int at = 2; at < input.length; ) {
        // pieces of 1 to 64 bytes, as the network delivers them; views into the input, so that a
        // decoder that ignores a buffer's position or offset reads the wrong bytes
        cuts = cuts * 1_103_515_245 + 12_345;
        int piece = Math.min(1 + ((cuts >>> 16) & 63), input.length - at);
        decoder.feed(ByteBuffer.wrap(input, at, piece), event -> {});
        at += piece;
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
  void framesLongRun(byte[] input) {
    frames(input);
  }
}
