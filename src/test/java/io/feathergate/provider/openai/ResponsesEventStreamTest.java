package io.feathergate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.SseEvent;
import org.junit.jupiter.api.Test;

/** What the gateway reads of a Responses API stream it passes through. */
class ResponsesEventStreamTest {

  static SseEvent event(String type, String data) {
    return new SseEvent(type, data, null);
  }

  @Test
  void theCompletedEventEndsTheStreamWithItsUsage() {
    ResponsesEventStream stream = new ResponsesEventStream();

    assertThat(stream.onEvent(event("response.output_text.delta", "{\"delta\":\"Hi\"}"))).isNull();
    assertThat(stream.onEnd()).isNotNull(); // not finished yet: cut short
    assertThat(
            stream.onEvent(
                event(
                    "response.completed",
                    "{\"response\":{\"usage\":{\"input_tokens\":9,\"output_tokens\":2,"
                        + "\"total_tokens\":11}}}")))
        .isNull();

    assertThat(stream.onEnd()).isNull();
    assertThat(stream.usage().promptTokens()).isEqualTo(9);
    assertThat(stream.usage().completionTokens()).isEqualTo(2);
    assertThat(stream.isTerminator(event(null, "[DONE]"))).isTrue();
    assertThat(stream.isTerminator(event("response.completed", "{}"))).isFalse();
  }

  @Test
  void failuresAreReadFromErrorAndFailedEvents() {
    GatewayException error =
        new ResponsesEventStream()
            .onEvent(
                event(
                    "error",
                    "{\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"Slow"
                        + " down\",\"param\":null}"));
    GatewayException failed =
        new ResponsesEventStream()
            .onEvent(
                event(
                    "response.failed",
                    "{\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\","
                        + "\"message\":\"The model broke\"}}}"));
    GatewayException unnamed =
        new ResponsesEventStream()
            .onEvent(event(null, "{\"type\":\"error\",\"message\":\"Unnamed\"}"));
    GatewayException silent = new ResponsesEventStream().onEvent(event("error", "{}"));

    assertThat(error.getMessage()).isEqualTo("Slow down");
    assertThat(error.code()).isEqualTo("rate_limit_exceeded");
    assertThat(error.type()).isNotEqualTo("error");
    assertThat(failed.getMessage()).isEqualTo("The model broke");
    assertThat(unnamed.getMessage()).isEqualTo("Unnamed");
    assertThat(silent.getMessage()).contains("without a message");
    assertThat(new ResponsesEventStream().onEvent(event(null, "{\"type\":\"x\"}"))).isNull();
  }
}
