package io.feathergate.provider;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
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
import java.util.List;
import java.util.function.Supplier;

/**
 * Each provider's stream decoder, fuzzed with any events: it turns them into chunks or reports a
 * {@link GatewayException} (the upstream's own error, or a 502 for what it should not have sent);
 * anything else thrown is a crash.
 */
class ProviderStreamsFuzzTest {
  private static final List<Supplier<ProviderAdapter>> ADAPTERS =
      List.of(
          OpenAiAdapter::new,
          () -> new AnthropicAdapter(ProviderTable.get("anthropic")),
          () -> new GeminiAdapter(ProviderTable.get("gemini")),
          () -> new BedrockAdapter(ProviderTable.get("bedrock")),
          () -> new OllamaAdapter(ProviderTable.get("ollama_chat")));

  private static final String[] EVENT_NAMES = {
    null, "error", "message_start", "content_block_delta", "message_delta", "chunk", "messageStop"
  };

  @FuzzTest(maxDuration = "10s")
  void events(FuzzedDataProvider data) {
    ProviderAdapter adapter = ADAPTERS.get(data.consumeInt(0, ADAPTERS.size() - 1)).get();
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
    try {
      while (data.remainingBytes() > 0) {
        String name = EVENT_NAMES[data.consumeInt(0, EVENT_NAMES.length - 1)];
        decoder.onEvent(new SseEvent(name, data.consumeString(200), null), out);
      }
      decoder.onEnd(out);
      decoder.usage();
    } catch (GatewayException reported) {
      // an upstream's error event, or something it should not have sent
    }
  }

  /**
   * The long run of {@link #events}, for the benchmark's {@code fuzz} part: ten million inputs (in
   * a plain test run, like every fuzz test, it replays its kept inputs only).
   */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void eventsLongRun(FuzzedDataProvider data) {
    events(data);
  }
}
