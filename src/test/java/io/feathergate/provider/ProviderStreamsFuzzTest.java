package io.feathergate.provider;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.IdSource;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderTable;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.provider.anthropic.AnthropicAdapter;
import io.feathergate.provider.bedrock.BedrockAdapter;
import io.feathergate.provider.gemini.GeminiAdapter;
import io.feathergate.provider.ollama.OllamaAdapter;
import io.feathergate.provider.openai.OpenAiAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Each provider's stream decoder, fuzzed with any events: it turns them into chunks or reports a
 * {@link GatewayException} (the upstream's own error, or a 502 for what it should not have sent);
 * anything else thrown is a crash.
 *
 * <p>An input is one byte that picks the provider, then its events written one field a line as in
 * server-sent events ({@code event:}, {@code id:}, then {@code data:}, which sends the event): the
 * kept inputs are recorded upstream streams, so that the fuzzer starts from what providers send.
 */
class ProviderStreamsFuzzTest {
  private static final List<Supplier<ProviderAdapter>> ADAPTERS =
      List.of(
          OpenAiAdapter::new,
          () -> new AnthropicAdapter(ProviderTable.get("anthropic")),
          () -> new GeminiAdapter(ProviderTable.get("gemini")),
          () -> new BedrockAdapter(ProviderTable.get("bedrock")),
          () -> new OllamaAdapter(ProviderTable.get("ollama_chat")));

  @FuzzTest(maxDuration = "10s")
  void events(byte[] input) {
    if (input.length == 0) {
      return;
    }
    ProviderAdapter adapter = ADAPTERS.get(Byte.toUnsignedInt(input[0]) % ADAPTERS.size()).get();
    StreamContext context =
        new StreamContext(
            ChatRequests.parse(
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                    .getBytes(StandardCharsets.UTF_8)),
            "m",
            "chatcmpl-fuzz",
            1L,
            IdSource.random());
    StreamDecoder decoder = adapter.newStreamDecoder(context);
    List<String> out = new ArrayList<>();
    String name = null;
    String id = null;
    try {
      String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
      for (Iterator<String> lines = text.lines().iterator(); lines.hasNext(); ) {
        String line = lines.next();
        if (line.startsWith("event:")) {
          name = field(line, 6);
        } else if (line.startsWith("id:")) {
          id = field(line, 3);
        } else if (line.startsWith("data:")) {
          decoder.onEvent(new SseEvent(name, field(line, 5), id), out);
          name = null;
          id = null;
        }
      }
      decoder.onEnd(out);
      decoder.usage();
    } catch (GatewayException reported) {
      // an upstream's error event, or something it should not have sent
    }
  }

  /** A field's value: after its name and colon, without the one space that may follow. */
  private static String field(String line, int start) {
    return line.substring(line.startsWith(" ", start) ? start + 1 : start);
  }

  /**
   * The long run of {@link #events}, for the benchmark's {@code fuzz} part: ten million inputs (in
   * a plain test run, like every fuzz test, it replays its kept inputs only).
   */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void eventsLongRun(byte[] input) {
    events(input);
  }
}
