package io.feathergate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.GatewayException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiAdapterTest {

  @Test
  void chatCompletionsUrlIsBuiltFromAnyFormOfApiBase() {
    assertThat(OpenAiAdapter.chatCompletionsUri(null))
        .hasToString("https://api.openai.com/v1/chat/completions");
    assertThat(OpenAiAdapter.chatCompletionsUri(URI.create("http://h:8000/v1/")))
        .hasToString("http://h:8000/v1/chat/completions");
    assertThat(OpenAiAdapter.chatCompletionsUri(URI.create("http://h/openai/v1/chat/completions")))
        .hasToString("http://h/openai/v1/chat/completions");
  }

  @Test
  void upstreamErrorKeepsStatusTypeCodeAndMessage() {
    GatewayException e =
        OpenAiErrors.fromUpstream(
            404,
            "{\"error\":{\"message\":\"The model `gpt-9` does not exist\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("The model `gpt-9` does not exist");
    assertThat(e.code()).isEqualTo("model_not_found");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void nonJsonErrorBodyIsCutShort() {
    GatewayException e =
        OpenAiErrors.fromUpstream(
            502, ("<html>" + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.getMessage())
        .startsWith("Upstream returned HTTP 502: <html>")
        .hasSizeLessThan(400);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void nonJsonSuccessIsAProtocolError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new OpenAiAdapter().fromUpstream("<html/>".getBytes(StandardCharsets.UTF_8), null))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
  }
}
