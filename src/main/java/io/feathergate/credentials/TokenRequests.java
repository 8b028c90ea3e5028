package io.feathergate.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.UpstreamAuth.ClientCredentials;
import io.feathergate.core.spi.UpstreamAuth.ServiceAccountJwt;
import io.feathergate.core.spi.UpstreamAuth.TokenGrant;
import io.feathergate.wire.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** The form a token endpoint is posted, and its answer read. */
final class TokenRequests {
  /** A token is renewed this long before it expires, or at half its life if that is shorter. */
  static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

  private static final Duration JWT_LIFETIME = Duration.ofHours(1);

  private TokenRequests() {}

  /** The {@code application/x-www-form-urlencoded} body asking for a token. */
  static String form(TokenGrant grant, Instant now) {
    if (grant instanceof ClientCredentials client) {
      return "grant_type=client_credentials&client_id="
          + encode(client.clientId())
          + "&client_secret="
          + encode(client.clientSecret().reveal())
          + "&scope="
          + encode(client.scope());
    }
    ServiceAccountJwt account = (ServiceAccountJwt) grant;
    return "grant_type="
        + encode("urn:ietf:params:oauth:grant-type:jwt-bearer")
        + "&assertion="
        + encode(jwt(account, now));
  }

  /** An RS256 JWT asserting the service account for its scope, valid for an hour. */
  static String jwt(ServiceAccountJwt account, Instant now) {
    ObjectNode header = Json.MAPPER.createObjectNode().put("alg", "RS256").put("typ", "JWT");
    if (account.privateKeyId() != null) {
      header.put("kid", account.privateKeyId());
    }
    ObjectNode claims =
        Json.MAPPER
            .createObjectNode()
            .put("iss", account.clientEmail())
            .put("scope", account.scope())
            .put("aud", account.tokenUri().toString())
            .put("iat", now.getEpochSecond())
            .put("exp", now.plus(JWT_LIFETIME).getEpochSecond());
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        base64.encodeToString(Json.bytes(header)) + "." + base64.encodeToString(Json.bytes(claims));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(privateKey(account.privateKeyPem().reveal()));
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64.encodeToString(rsa.sign());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new GatewayException(
          401,
          "authentication_error",
          "The service account's private key cannot sign: it is not a PKCS#8 RSA key",
          null,
          "401",
          false);
    }
  }

  /** A PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), as service-account files hold it. */
  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    String base64 =
        pem.replace("\\n", "\n")
            .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  /** The token of a 2xx answer, to be renewed ahead of its expiry. */
  static AccessToken read(byte[] body, Instant now) {
    JsonNode answer = Json.readOrNull(body);
    String token = answer == null ? null : answer.path("access_token").asText(null);
    if (token == null || token.isBlank()) {
      throw GatewayException.upstreamProtocol("the token endpoint's answer holds no access_token");
    }
    long lifetime = answer.path("expires_in").asLong(3600);
    Duration life = Duration.ofSeconds(Math.max(1, lifetime));
    Duration margin =
        REFRESH_MARGIN.compareTo(life.dividedBy(2)) < 0 ? REFRESH_MARGIN : life.dividedBy(2);
    return new AccessToken(token, now.plus(life).minus(margin));
  }

  /**
   * The client's error when the token endpoint refuses: what the endpoint said ({@code error},
   * {@code error_description}), never what was sent.
   */
  static GatewayException refused(int status, byte[] body) {
    JsonNode answer = Json.readOrNull(body);
    String error = answer == null ? null : answer.path("error").asText(null);
    String description = answer == null ? null : answer.path("error_description").asText(null);
    String detail =
        error == null
            ? "HTTP " + status
            : error + (description == null ? "" : ": " + firstLine(description));
    boolean serverSide = status >= 500 || status == 429;
    return new GatewayException(
        serverSide ? 503 : 401,
        serverSide ? "server_error" : "authentication_error",
        "The gateway could not obtain an access token for this deployment (" + detail + ")",
        null,
        serverSide ? "503" : "401",
        serverSide);
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line.strip();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
