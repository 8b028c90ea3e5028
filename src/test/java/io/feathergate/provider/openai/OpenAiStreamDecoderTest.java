package io.feathergate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiStreamDecoderTest {
  private final OpenAiStreamDecoder decoder = new OpenAiStreamDecoder();
  private final List<String> out = new ArrayList<>();

  private void feed(String data) {
    decoder.onEvent(new SseEvent(null, data, null), out);
  }

  @Test
  void chunksPassThroughUnchanged() {
    String chunk =
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"obfuscation\":\"\"}";
    feed(chunk);
    assertThat(out).containsExactly(chunk);
  }

  @Test
  void keepAlivesAndAnythingAfterDoneAreDropped() {
    feed("");
    feed("null");
    feed(": OPENROUTER PROCESSING");
    feed("[DONE]");
    feed("{\"late\":true}");
    assertThat(out).isEmpty();
  }

  @Test
  void anErrorEventEndsTheStreamWithThatError() {
    assertThatThrownBy(
            () ->
                feed(
                    "{\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded\"}}"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("Overloaded");
              assertThat(e.type()).isEqualTo("server_error");
              assertThat(e.code()).isEqualTo("overloaded");
            });
  }

  @Test
  void contentMentioningErrorIsNotAnError() {
    String chunk = "{\"choices\":[{\"delta\":{\"content\":\"\\\"error\\\": none\"}}]}";
    feed(chunk);
    assertThat(out).containsExactly(chunk);
  }
}
