package io.feathergate.core.spi;

import io.feathergate.core.Secret;
import java.net.URI;

/**
 * A credential an adapter names for its request and the gateway applies just before sending,
 * because applying it takes what an adapter may not use: a token obtained from a token endpoint
 * (I/O, a clock for its expiry) or a signature over the request as sent (a clock). Pure data: the
 * credentials component ({@code io.feathergate.credentials}) turns it into headers.
 */
public sealed interface UpstreamAuth {

  /** An OAuth access token for {@code grant}, sent as {@code Authorization: Bearer <token>}. */
  record OAuthToken(TokenGrant grant) implements UpstreamAuth {}

  /**
   * AWS Signature Version 4 over the request as sent ({@code host}, {@code x-amz-date}, the body's
   * hash, and {@code x-amz-security-token} for temporary credentials).
   */
  record AwsSigV4(
      String accessKeyId,
      Secret secretAccessKey,
      Secret sessionToken,
      String region,
      String service)
      implements UpstreamAuth {

    @Override
    public String toString() {
      return "AwsSigV4[" + accessKeyId + ", " + region + ", " + service + "]";
    }
  }

  /** How an access token is obtained. Two deployments with equal grants share one cached token. */
  sealed interface TokenGrant {
    /** Where the token is asked for. */
    URI tokenUri();
  }

  /**
   * OAuth 2.0 client credentials (Microsoft Entra ID): {@code client_id}, {@code client_secret} and
   * {@code scope} posted to the tenant's token endpoint.
   */
  record ClientCredentials(URI tokenUri, String clientId, Secret clientSecret, String scope)
      implements TokenGrant {}

  /**
   * A service account's JWT bearer grant (RFC 7523, Google): an RS256-signed assertion of {@code
   * clientEmail} for {@code scope}, posted to {@code tokenUri}.
   */
  record ServiceAccountJwt(
      URI tokenUri, String clientEmail, String privateKeyId, Secret privateKeyPem, String scope)
      implements TokenGrant {}
}
