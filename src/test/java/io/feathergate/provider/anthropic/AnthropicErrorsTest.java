package io.feathergate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.errors.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicErrorsTest {

  private static byte[] body(String type, String message) {
    return ("{\"type\":\"error\",\"error\":{\"type\":\""
            + type
            + "\",\"message\":\""
            + message
            + "\"},\"request_id\":\"req_1\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @CsvSource({
    "400, invalid_request_error, 400, false",
    "401, authentication_error, 401, false",
    "402, billing_error, 402, false",
    "403, permission_error, 403, false",
    "404, not_found_error, 404, false",
    "413, request_too_large, 413, false",
    "429, rate_limit_error, 429, true",
    "500, api_error, 500, true",
    "504, timeout_error, 504, true",
    // pinned: 529 reaches OpenAI clients as 503, still retryable, the origin in the code
    "529, overloaded_error, 503, true"
  })
  void everyDocumentedErrorKeepsItsTypeAndMessage(
      int upstreamStatus, String type, int clientStatus, boolean retryable) {
    GatewayException e =
        AnthropicErrors.fromResponse(upstreamStatus, Map.of(), body(type, "why " + type));
    assertThat(e.status()).isEqualTo(clientStatus);
    assertThat(e.type()).isEqualTo(type);
    assertThat(e.getMessage()).isEqualTo("why " + type);
    assertThat(e.code()).isEqualTo(Integer.toString(upstreamStatus));
    assertThat(e.retryable()).isEqualTo(retryable);
    // the same error inside a stream gets the status Anthropic gives that type
    GatewayException inStream =
        AnthropicErrors.fromStreamError(
            AnthropicTesting.json(new String(body(type, "m"), StandardCharsets.UTF_8)));
    assertThat(inStream.status()).isEqualTo(clientStatus);
    assertThat(inStream.retryable()).isEqualTo(retryable);
  }

  @ParameterizedTest
  @CsvSource({
    "400, invalid_request_error",
    "401, authentication_error",
    "402, billing_error",
    "403, permission_error",
    "404, not_found_error",
    "413, request_too_large",
    "429, rate_limit_error",
    "504, timeout_error",
    "529, overloaded_error",
    "502, api_error",
    "418, invalid_request_error"
  })
  void bodiesThatAreNotAnthropicErrorsGetTheTypeOfTheirStatus(int status, String type) {
    GatewayException e =
        AnthropicErrors.fromResponse(
            status, Map.of(), ("<html>" + "x".repeat(1000)).getBytes(StandardCharsets.UTF_8));
    assertThat(e.type()).isEqualTo(type);
    assertThat(e.getMessage())
        .startsWith("Anthropic returned HTTP " + status + ": <html>")
        .hasSizeLessThan(400);
  }

  @Test
  void emptyBodyAndErrorWithoutFieldsStillSayWhat() {
    assertThat(AnthropicErrors.fromResponse(500, Map.of(), new byte[0]).getMessage())
        .isEqualTo("Anthropic returned HTTP 500");
    GatewayException bare =
        AnthropicErrors.fromResponse(
            503, Map.of(), "{\"error\":{}}".getBytes(StandardCharsets.UTF_8));
    assertThat(bare.getMessage()).isEqualTo("Anthropic returned HTTP 503");
    assertThat(bare.type()).isEqualTo("api_error");
    GatewayException unknownType =
        AnthropicErrors.fromStreamError(
            AnthropicTesting.json("{\"type\":\"error\",\"error\":{\"type\":\"brand_new_error\"}}"));
    assertThat(unknownType.status()).isEqualTo(500);
  }

  @Test
  void anthropicsShouldRetryHeaderDecides() {
    assertThat(
            AnthropicErrors.fromResponse(
                    500, Map.of("X-Should-Retry", "false"), body("api_error", "no"))
                .retryable())
        .isFalse();
    assertThat(
            AnthropicErrors.fromResponse(
                    409, Map.of("x-should-retry", " TRUE "), body("invalid_request_error", "yes"))
                .retryable())
        .isTrue();
    assertThat(
            AnthropicErrors.fromResponse(
                    400, Map.of("x-should-retry", "maybe"), body("invalid_request_error", "n"))
                .retryable())
        .isFalse();
    assertThat(
            AnthropicErrors.fromResponse(400, null, body("invalid_request_error", "n")).retryable())
        .isFalse();
  }

  @Test
  void successfulStatusWithAnErrorBodyIsThatError() {
    assertThatThrownBy(
            () ->
                new AnthropicAdapter()
                    .fromUpstream(
                        body("overloaded_error", "Overloaded"),
                        AnthropicTesting.context(
                            AnthropicTesting.request(
                                "{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.getMessage()).isEqualTo("Overloaded");
            });
  }

  @Test
  void successThatIsNotJsonIsAProtocolError() {
    assertThatThrownBy(
            () ->
                new AnthropicAdapter()
                    .fromUpstream(
                        "<html/>".getBytes(StandardCharsets.UTF_8),
                        AnthropicTesting.context(
                            AnthropicTesting.request(
                                "{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(502));
  }

  @Test
  void stopReasonsMapAsDocumented() {
    assertThat(StopReasons.toFinishReason("end_turn")).isEqualTo("stop");
    assertThat(StopReasons.toFinishReason("stop_sequence")).isEqualTo("stop");
    assertThat(StopReasons.toFinishReason("pause_turn")).isEqualTo("stop");
    assertThat(StopReasons.toFinishReason("max_tokens")).isEqualTo("length");
    assertThat(StopReasons.toFinishReason("model_context_window_exceeded")).isEqualTo("length");
    assertThat(StopReasons.toFinishReason("compaction")).isEqualTo("length");
    assertThat(StopReasons.toFinishReason("tool_use")).isEqualTo("tool_calls");
    assertThat(StopReasons.toFinishReason("refusal")).isEqualTo("content_filter");
    assertThat(StopReasons.toFinishReason(null)).isEqualTo("stop");
    assertThat(StopReasons.toFinishReason("something_new")).isEqualTo("stop");
  }

  @Test
  void usageCountsAreCumulativeNotAdded() {
    AnthropicUsage start =
        AnthropicUsage.from(
            AnthropicTesting.json(
                "{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":1}"));
    AnthropicUsage end = start.updatedWith(AnthropicTesting.json("{\"output_tokens\":30}"));
    assertThat(end).isEqualTo(new AnthropicUsage(10, 30, 5, 0, null));
    assertThat(end.updatedWith(null)).isEqualTo(end);
    assertThat(end.toOpenAi().get("prompt_tokens").asInt()).isEqualTo(15);
    assertThat(end.toOpenAi().has("completion_tokens_details")).isFalse();
  }
}
