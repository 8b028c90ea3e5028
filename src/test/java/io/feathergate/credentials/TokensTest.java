package io.feathergate.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.Secret;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.UpstreamAuth;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokensTest {
  static final UpstreamAuth.ClientCredentials GRANT =
      new UpstreamAuth.ClientCredentials(
          URI.create("https://login.example/t/oauth2/v2.0/token"),
          "client",
          Secret.ofNullable("s e/cret&x"),
          "https://cognitiveservices.azure.com/.default");

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void oneFetchPerRefreshHoweverManyAsk() {
    MovingClock clock = new MovingClock();
    AtomicInteger fetches = new AtomicInteger();
    List<CompletableFuture<AccessToken>> pending = new ArrayList<>();
    TokenCache cache =
        new TokenCache(
            grant -> {
              fetches.incrementAndGet();
              CompletableFuture<AccessToken> future = new CompletableFuture<>();
              pending.add(future);
              return future;
            },
            clock);
    List<CompletableFuture<AccessToken>> callers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      callers.add(cache.get(GRANT));
    }
    assertThat(fetches).hasValue(1);
    pending
        .get(0)
        .complete(
            TokenRequests.read(
                "{\"access_token\":\"t1\",\"expires_in\":3600}".getBytes(StandardCharsets.UTF_8),
                clock.now));
    assertThat(callers).allSatisfy(c -> assertThat(c.join().value()).isEqualTo("t1"));
    clock.now = clock.now.plus(Duration.ofMinutes(54));
    assertThat(cache.get(GRANT).join().value()).isEqualTo("t1");
    assertThat(fetches).hasValue(1);
    // five minutes before it expires: one refresh for all
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    for (int i = 0; i < 200; i++) {
      assertThat(cache.get(GRANT)).isNotNull();
    }
    assertThat(fetches).hasValue(2);
    pending.get(1).completeExceptionally(GatewayException.internal("down"));
    assertThat(cache.get(GRANT)).isNotNull();
    assertThat(fetches).as("a failed fetch is not kept").hasValue(3);
    AccessToken t3 = new AccessToken("t3", clock.now.plusSeconds(600));
    pending.get(2).complete(t3);
    cache.invalidate(GRANT, t3);
    assertThat(cache.get(GRANT)).isNotNull();
    assertThat(fetches).as("a refused token is not offered again").hasValue(4);
  }

  @Test
  void clientCredentialsFormAndRefusal() {
    assertThat(TokenRequests.form(GRANT, Instant.EPOCH))
        .isEqualTo(
            "grant_type=client_credentials&client_id=client&client_secret=s+e%2Fcret%26x"
                + "&scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default");
    GatewayException refused =
        TokenRequests.refused(
            401,
            "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret.\\r\\nTrace ID: x\"}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.getMessage())
        .contains("invalid_client: AADSTS7000215: Invalid client secret.")
        .doesNotContain("s e/cret");
    assertThat(TokenRequests.refused(503, new byte[0]).retryable()).isTrue();
    assertThatThrownBy(
            () -> TokenRequests.read("{}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH))
        .isInstanceOf(GatewayException.class);
    AccessToken shortLived =
        TokenRequests.read(
            "{\"access_token\":\"t\",\"expires_in\":60}".getBytes(StandardCharsets.UTF_8),
            Instant.EPOCH);
    assertThat(shortLived.refreshAt()).isEqualTo(Instant.EPOCH.plusSeconds(30));
    assertThat(shortLived.toString()).doesNotContain("\"t\"");
  }

  @Test
  void aServiceAccountJwtVerifiesWithItsPublicKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    String pem =
        "-----BEGIN PRIVATE KEY-----\\n"
            + Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded())
            + "\\n-----END PRIVATE KEY-----\\n";
    UpstreamAuth.ServiceAccountJwt account =
        new UpstreamAuth.ServiceAccountJwt(
            URI.create("https://oauth2.googleapis.com/token"),
            "sa@p.iam.gserviceaccount.com",
            "kid-7",
            Secret.ofNullable(pem),
            "https://www.googleapis.com/auth/cloud-platform");
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    String jwt = TokenRequests.jwt(account, now);
    String[] parts = jwt.split("\\.");
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(keys.getPublic());
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(claims)
        .contains("\"iss\":\"sa@p.iam.gserviceaccount.com\"")
        .contains("\"aud\":\"https://oauth2.googleapis.com/token\"")
        .contains("\"iat\":" + now.getEpochSecond())
        .contains("\"exp\":" + (now.getEpochSecond() + 3600));
    assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
        .contains("\"kid\":\"kid-7\"");
    assertThat(TokenRequests.form(account, now))
        .startsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=");
  }
}
