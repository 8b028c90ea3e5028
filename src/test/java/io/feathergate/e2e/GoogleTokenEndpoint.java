package io.feathergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's OAuth token endpoint on a server of its own: takes a service account's RS256 JWT
 * (checked with the account's public key: issuer, scope, audience, lifetime), answers with an
 * access token, and counts its calls. Hands out the service-account JSON that points at it.
 */
final class GoogleTokenEndpoint implements AutoCloseable {
  static final String EMAIL = "gateway@contract-project.iam.gserviceaccount.com";
  static final String PROJECT = "contract-project";

  private final FakeUpstream server;
  private final KeyPair keys;
  final AtomicInteger calls = new AtomicInteger();
  final Set<String> issued = ConcurrentHashMap.newKeySet();

  GoogleTokenEndpoint() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      keys = generator.generateKeyPair();
      server = new FakeUpstream();
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
    server.respondWith(
        (request, reply) -> {
          String problem;
          try {
            problem = problem(request.path(), request.body());
          } catch (Exception e) {
            problem = "unreadable assertion";
          }
          if (problem != null) {
            reply.json(
                400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + problem + "\"}");
            return;
          }
          String token = "ya29.contract-" + calls.incrementAndGet();
          issued.add(token);
          reply.json(
              200,
              "{\"access_token\":\"" + token + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
        });
  }

  String tokenUri() {
    return server.origin() + "/token";
  }

  /** The service account's JSON, as a key file holds it. */
  String serviceAccountJson() {
    String base64 = Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    StringBuilder pem = new StringBuilder("-----BEGIN PRIVATE KEY-----\\n");
    for (int at = 0; at < base64.length(); at += 64) {
      pem.append(base64, at, Math.min(base64.length(), at + 64)).append("\\n");
    }
    pem.append("-----END PRIVATE KEY-----\\n");
    return "{\"type\":\"service_account\",\"project_id\":\""
        + PROJECT
        + "\",\"private_key_id\":\"kid-1\",\"private_key\":\""
        + pem
        + "\",\"client_email\":\""
        + EMAIL
        + "\",\"client_id\":\"1\",\"token_uri\":\""
        + tokenUri()
        + "\"}";
  }

  private String problem(String path, String form) throws Exception {
    if (!path.equals("/token")) {
      return "not the token path";
    }
    String assertion = null;
    boolean grant = false;
    for (String pair : form.split("&")) {
      String[] kv = pair.split("=", 2);
      String value = URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8);
      if (kv[0].equals("assertion")) {
        assertion = value;
      } else if (kv[0].equals("grant_type")) {
        grant = value.equals("urn:ietf:params:oauth:grant-type:jwt-bearer");
      }
    }
    if (!grant || assertion == null) {
      return "grant_type or assertion missing";
    }
    String[] parts = assertion.split("\\.");
    if (parts.length != 3) {
      return "not a JWT";
    }
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(keys.getPublic());
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
      return "bad signature";
    }
    JsonNode header =
        ClientSide.parse(
            new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    JsonNode claims =
        ClientSide.parse(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    if (!"RS256".equals(header.path("alg").asText())
        || !"kid-1".equals(header.path("kid").asText())) {
      return "bad header";
    }
    long now = System.currentTimeMillis() / 1000;
    if (!EMAIL.equals(claims.path("iss").asText())
        || !tokenUri().equals(claims.path("aud").asText())
        || !"https://www.googleapis.com/auth/cloud-platform".equals(claims.path("scope").asText())
        || Math.abs(claims.path("iat").asLong() - now) > 60
        || claims.path("exp").asLong() - claims.path("iat").asLong() > 3600) {
      return "bad claims";
    }
    return null;
  }

  /** Whether the request carries a token this endpoint issued. */
  boolean authorized(FakeUpstream.Received request) {
    String authorization = request.headers().getOrDefault("authorization", "");
    return authorization.startsWith("Bearer ") && issued.contains(authorization.substring(7));
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
