package io.feathergate.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWS's published Signature Version 4 test suite, and Bedrock's model ids. */
class SigV4Test {
  static final Secret SECRET = Secret.ofNullable("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");

  static SigV4.Signed suite(String method, String url) {
    return SigV4.sign(
        method,
        URI.create(url),
        Map.of("X-Amz-Date", "20150830T123600Z"),
        new byte[0],
        "AKIDEXAMPLE",
        SECRET,
        "us-east-1",
        "service",
        AT);
  }

  @Test
  void getVanilla() {
    SigV4.Signed signed = suite("GET", "https://example.amazonaws.com/");
    assertThat(signed.headers().get("Authorization"))
        .isEqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                + " SignedHeaders=host;x-amz-date,"
                + " Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void postVanilla() {
    assertThat(suite("POST", "https://example.amazonaws.com/").signature())
        .isEqualTo("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  }

  @Test
  void getVanillaQueryOrderKeyCase() {
    assertThat(
            suite("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1").signature())
        .isEqualTo("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  }

  @Test
  void aModelIdsColonIsEncodedTwiceInTheCanonicalUri() {
    SigV4.Signed signed =
        SigV4.sign(
            "POST",
            URI.create(
                "https://bedrock-runtime.us-east-1.amazonaws.com/model/"
                    + "us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse"),
            Map.of("x-amz-date", "20150830T123600Z"),
            "{}".getBytes(StandardCharsets.UTF_8),
            "AKIDEXAMPLE",
            SECRET,
            "us-east-1",
            "bedrock",
            AT);
    assertThat(signed.canonicalRequest())
        .startsWith(
            "POST\n/model/us.anthropic.claude-3-7-sonnet-20250219-v1%253A0/converse\n\n"
                + "host:bedrock-runtime.us-east-1.amazonaws.com\n");
  }

  @Test
  void temporaryCredentialsSignTheirSessionToken() {
    Map<String, String> headers =
        SigV4.headersFor(
            "POST",
            URI.create("http://127.0.0.1:8123/model/m/converse"),
            "{}".getBytes(StandardCharsets.UTF_8),
            "ASIAEXAMPLE",
            SECRET,
            Secret.ofNullable("session-token"),
            "eu-west-1",
            "bedrock",
            AT);
    assertThat(headers)
        .containsEntry("x-amz-date", "20150830T123600Z")
        .containsEntry("x-amz-security-token", "session-token")
        .containsKey("x-amz-content-sha256");
    assertThat(headers.get("Authorization"))
        .contains("Credential=ASIAEXAMPLE/20150830/eu-west-1/bedrock/aws4_request")
        .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
    assertThat(SigV4.host(URI.create("http://127.0.0.1:8123/x"))).isEqualTo("127.0.0.1:8123");
  }
}
