package io.feathergate.core.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.Secret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
  static final String UPSTREAM_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123";
  static final String MASTER_KEY = "my-own-master-key-without-prefix";
  static final String HEADER_TOKEN = "tok_live_99887766554433221100";

  static SecretRedactor redactor() {
    Deployment deployment =
        Deployment.builder("d", "m", "openai", "m")
            .apiKey(Secret.ofNullable(UPSTREAM_KEY))
            .extraHeaders(
                Map.of("X-Proxy-Authorization", "Bearer " + HEADER_TOKEN, "x-tenant", "acme"))
            .build();
    GatewaySettings settings =
        GatewaySettings.builder().masterKey(Secret.ofNullable(MASTER_KEY)).build();
    return SecretRedactor.of(
        new GatewayConfig(
            "test",
            List.of(deployment),
            settings,
            RouterSettings.defaults(),
            List.of(),
            List.of()));
  }

  @Test
  void everyConfiguredSecretIsReplacedWhereverItAppears() {
    String redacted =
        redactor()
            .redact(
                "key "
                    + UPSTREAM_KEY
                    + ", master="
                    + MASTER_KEY
                    + ", header "
                    + HEADER_TOKEN
                    + " for tenant acme");
    assertThat(redacted)
        .doesNotContain(UPSTREAM_KEY)
        .doesNotContain(MASTER_KEY)
        .doesNotContain(HEADER_TOKEN)
        .contains("tenant acme"); // not every header value is a secret
  }

  @Test
  void truncatedAndMaskedEchoesOfASecretAreReplacedToo() {
    SecretRedactor redactor = redactor();
    assertThat(redactor.redact("Incorrect API key provided: sk-proj-****0123."))
        .isEqualTo("Incorrect API key provided: [redacted].");
    assertThat(redactor.redact("You sent my-own-m...efix")).doesNotContain("my-own-m");
  }

  @Test
  void credentialShapesAreReplacedWhoeverTheyBelongTo() {
    SecretRedactor redactor = SecretRedactor.shapesOnly();
    assertThat(redactor.redact("You passed header 'Bearer abc.def-ghi'"))
        .isEqualTo("You passed header '[redacted]'");
    assertThat(redactor.redact("key AIzaSyA1234567890abcdefghij is invalid"))
        .isEqualTo("key [redacted] is invalid");
    assertThat(redactor.redact("GET /v1/models?key=hunter2&alt=sse"))
        .isEqualTo("GET /v1/models?key=[redacted]&alt=sse");
    assertThat(redactor.redact("anthropic says sk-ant-api03-XYZxyz123456"))
        .isEqualTo("anthropic says [redacted]");
    assertThat(redactor.redact("AWS AKIAIOSFODNN7EXAMPLE denied"))
        .isEqualTo("AWS [redacted] denied");
    assertThat(redactor.redact("x-api-key: abc123secret")).isEqualTo("x-api-key: [redacted]");
  }

  @Test
  void ordinaryMessagesPassUnchanged() {
    String message =
        "This model's maximum context length is 8192 tokens. However, your messages resulted in"
            + " 9000 tokens. Please reduce the length of the messages.";
    assertThat(redactor().redact(message)).isSameAs(message);
    GatewayException failure = GatewayException.badRequest(message, "messages");
    assertThat(redactor().redact(failure)).isSameAs(failure);
  }

  @Test
  void aRedactedErrorKeepsEverythingButItsMessage() {
    GatewayException failure =
        new GatewayException(
                401, "authentication_error", "bad key " + UPSTREAM_KEY, null, "x", false)
            .withHeaders(Map.of("retry-after", "1"));
    GatewayException redacted = redactor().redact(failure);
    assertThat(redacted.getMessage()).isEqualTo("bad key [redacted]");
    assertThat(redacted.status()).isEqualTo(401);
    assertThat(redacted.type()).isEqualTo("authentication_error");
    assertThat(redacted.code()).isEqualTo("x");
    assertThat(redacted.headers()).containsEntry("retry-after", "1");
  }
}
