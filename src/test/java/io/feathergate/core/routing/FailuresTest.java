package io.feathergate.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.RouterSettings.ErrorClass;
import io.feathergate.core.errors.GatewayException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each provider's way of saying "too long" or "refused", as its adapter keeps it. */
class FailuresTest {
  private static GatewayException badRequest(String code, String message) {
    return new GatewayException(400, "invalid_request_error", message, null, code, false);
  }

  @Test
  void contextWindowErrorsAreRecognisedFromEachProvidersWording() {
    assertThat(
            Failures.contextWindowExceeded(
                badRequest(
                    "context_length_exceeded",
                    "This model's maximum context length is 128000 tokens.")))
        .isTrue();
    assertThat(
            Failures.contextWindowExceeded(
                badRequest("400", "prompt is too long: 210000 tokens > 200000 maximum")))
        .isTrue();
    assertThat(
            Failures.contextWindowExceeded(
                badRequest(
                    "400",
                    "The input token count (1200000) exceeds the maximum number of tokens allowed"
                        + " (1048576).")))
        .isTrue();
    assertThat(
            Failures.contextWindowExceeded(
                badRequest("ValidationException", "Input is too long for requested model.")))
        .isTrue();
    assertThat(Failures.contextWindowExceeded(badRequest("400", "temperature must be <= 2")))
        .isFalse();
    // the same words on a server error are not a prompt too long
    assertThat(
            Failures.contextWindowExceeded(
                new GatewayException(500, "server_error", "context length", null, "500", true)))
        .isFalse();
  }

  @Test
  void contentPolicyRefusalsAreTheirOwnClass() {
    GatewayException refused =
        badRequest(
            "content_filter",
            "The response was filtered due to the prompt triggering Azure OpenAI's content"
                + " management policy.");
    assertThat(Failures.contentPolicyViolation(refused)).isTrue();
    assertThat(Failures.errorClass(refused)).isEqualTo(ErrorClass.CONTENT_POLICY_VIOLATION);
  }

  @Test
  void statusesMapToLiteLlmsErrorClasses() {
    assertThat(Failures.errorClass(GatewayException.unauthorized("no")))
        .isEqualTo(ErrorClass.AUTHENTICATION);
    assertThat(Failures.errorClass(GatewayException.upstreamTimeout("slow")))
        .isEqualTo(ErrorClass.TIMEOUT);
    assertThat(Failures.errorClass(GatewayException.upstreamUnreachable("refused")))
        .isEqualTo(ErrorClass.INTERNAL_SERVER);
    assertThat(Failures.errorClass(badRequest("400", "bad"))).isEqualTo(ErrorClass.BAD_REQUEST);
  }

  @Test
  void retryAfterIsReadInMillisecondsOrSeconds() {
    GatewayException limited = GatewayException.noDeploymentsAvailable("m", 1);
    assertThat(Failures.retryAfterMillis(limited)).isEqualTo(1000);
    assertThat(Failures.retryAfterMillis(limited.withHeaders(Map.of("retry-after-ms", "250"))))
        .isEqualTo(250);
    assertThat(
            Failures.retryAfterMillis(
                limited.withHeaders(Map.of("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"))))
        .isEqualTo(-1);
  }
}
