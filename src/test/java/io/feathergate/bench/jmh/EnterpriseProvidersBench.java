package io.feathergate.bench.jmh;

import io.feathergate.core.Secret;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.credentials.SigV4;
import io.feathergate.provider.azure.AzureAdapter;
import io.feathergate.provider.bedrock.BedrockAdapter;
import io.feathergate.transport.EventStreamDecoder;
import io.feathergate.transport.EventStreamDecoderTest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
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
 * The enterprise providers' own per-request work: signing a Converse request with SigV4 (a 1 KB
 * body, temporary credentials), decoding a ConverseStream (10 event-stream messages, 1.6 KB: text,
 * a tool call in two fragments, the stop and the usage) into frames alone and on to OpenAI chunks,
 * in one read and in 64-byte reads, and normalising Azure's stream (7 events: the prompt-filter
 * chunk, content, an annotation, a filtered finish, usage, {@code [DONE]}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnterpriseProvidersBench {
  private static final int SMALL_READ = 64;
  private static final Secret SECRET =
      Secret.ofNullable("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final Secret SESSION = Secret.ofNullable("session-token-".repeat(20));
  private static final URI CONVERSE =
      URI.create(
          "https://bedrock-runtime.us-east-1.amazonaws.com/model/"
              + "us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse");
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  static final String[] AZURE_STREAM = {
    "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
        + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":"
        + "{\"filtered\":false,\"severity\":\"safe\"}}}]}",
    "{\"choices\":[{\"content_filter_results\":{},\"delta\":{\"content\":\"\",\"role\":\"assistant\"},"
        + "\"finish_reason\":null,\"index\":0}],\"created\":1750697159,\"id\":\"chatcmpl-A\","
        + "\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\"}",
    "{\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}},"
        + "\"delta\":{\"content\":\"Hallo\"},\"finish_reason\":null,\"index\":0}],\"created\":1750697159,"
        + "\"id\":\"chatcmpl-A\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\"}",
    "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[{\"index\":0,"
        + "\"finish_reason\":null,\"content_filter_results\":{},\"content_filter_offsets\":"
        + "{\"check_offset\":0,\"start_offset\":0,\"end_offset\":5}}]}",
    "{\"choices\":[{\"content_filter_results\":{},\"delta\":{},\"finish_reason\":\"stop\",\"index\":0}],"
        + "\"created\":1750697159,\"id\":\"chatcmpl-A\",\"model\":\"gpt-4o-2024-08-06\","
        + "\"object\":\"chat.completion.chunk\"}",
    "{\"id\":\"chatcmpl-A\",\"object\":\"chat.completion.chunk\",\"created\":1750697159,"
        + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
        + "\"completion_tokens\":1,\"total_tokens\":6}}",
    "[DONE]"
  };

  private byte[] body;
  private ByteBuffer[] converseWhole;
  private ByteBuffer[] converseReads;
  private SseEvent[] azureEvents;
  private AzureAdapter azure;
  private BedrockAdapter bedrock;
  private StreamContext context;

  @Setup
  public void setUp() {
    body =
        ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\""
                + "x".repeat(950)
                + "\"}]}]}")
            .getBytes(StandardCharsets.UTF_8);
    String[][] events = {
      {"messageStart", "{\"p\":\"abcdefghijk\",\"role\":\"assistant\"}"},
      {
        "contentBlockDelta",
        "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Looking \"},\"p\":\"ab\"}"
      },
      {
        "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"it up.\"},\"p\":\"a\"}"
      },
      {"contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcd\"}"},
      {
        "contentBlockStart",
        "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_1\",\"name\":"
            + "\"get_weather\"}},\"p\":\"abc\"}"
      },
      {
        "contentBlockDelta",
        "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\":\"}},\"p\":\"a\"}"
      },
      {
        "contentBlockDelta",
        "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\\\"Paris\\\"}\"}},\"p\":\"a\"}"
      },
      {"contentBlockStop", "{\"contentBlockIndex\":1,\"p\":\"abcdefg\"}"},
      {"messageStop", "{\"p\":\"abcdef\",\"stopReason\":\"tool_use\"}"},
      {
        "metadata",
        "{\"metrics\":{\"latencyMs\":812},\"p\":\"abc\",\"usage\":{\"inputTokens\":412,"
            + "\"outputTokens\":57,\"totalTokens\":469}}"
      }
    };
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (String[] event : events) {
      stream.writeBytes(EventStreamDecoderTest.message("event", ":event-type", event[0], event[1]));
    }
    byte[] bytes = stream.toByteArray();
    converseWhole = new ByteBuffer[] {ByteBuffer.wrap(bytes)};
    List<ByteBuffer> reads = new ArrayList<>();
    for (int from = 0; from < bytes.length; from += SMALL_READ) {
      reads.add(ByteBuffer.wrap(bytes, from, Math.min(SMALL_READ, bytes.length - from)).slice());
    }
    converseReads = reads.toArray(ByteBuffer[]::new);
    azureEvents = new SseEvent[AZURE_STREAM.length];
    for (int i = 0; i < AZURE_STREAM.length; i++) {
      azureEvents[i] = new SseEvent(null, AZURE_STREAM[i], null);
    }
    azure = new AzureAdapter(ProviderTable.get("azure"));
    bedrock = new BedrockAdapter(ProviderTable.get("bedrock"));
    context =
        new StreamContext(
            ChatRequests.parse(
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
                    .getBytes(StandardCharsets.UTF_8)),
            "model",
            "chatcmpl-bench",
            1_700_000_000L,
            () -> "call_1");
    List<String> out = new ArrayList<>();
    StreamDecoder decoder = bedrock.newStreamDecoder(context);
    frames(converseReads, e -> decoder.onEvent(e, out));
    decoder.onEnd(out);
    if (out.size() != 7) {
      throw new IllegalStateException("the Converse stream gives " + out.size() + " chunks");
    }
  }

  @Benchmark
  public Object sigV4SignConverse() {
    return SigV4.headersFor(
        "POST", CONVERSE, body, "ASIAEXAMPLE", SECRET, SESSION, "us-east-1", "bedrock", NOW);
  }

  private static void frames(ByteBuffer[] reads, java.util.function.Consumer<SseEvent> sink) {
    EventStreamDecoder decoder = new EventStreamDecoder(1 << 20);
    for (ByteBuffer read : reads) {
      decoder.feed(read.duplicate(), sink);
    }
    decoder.finish(sink);
  }

  @Benchmark
  public void eventStreamFramesOneRead(Blackhole bh) {
    frames(converseWhole, bh::consume);
  }

  @Benchmark
  public void eventStreamFramesSmallReads(Blackhole bh) {
    frames(converseReads, bh::consume);
  }

  @Benchmark
  public void converseStreamToChunks(Blackhole bh) {
    List<String> out = new ArrayList<>(8);
    StreamDecoder decoder = bedrock.newStreamDecoder(context);
    frames(converseReads, e -> decoder.onEvent(e, out));
    decoder.onEnd(out);
    bh.consume(out);
  }

  @Benchmark
  public void azureStreamNormalised(Blackhole bh) {
    List<String> out = new ArrayList<>(8);
    StreamDecoder decoder = azure.newStreamDecoder(context);
    for (SseEvent event : azureEvents) {
      decoder.onEvent(event, out);
    }
    decoder.onEnd(out);
    bh.consume(out);
  }
}
