/**
 * Credentials that take more than a header an adapter can write: OAuth access tokens obtained from
 * a token endpoint (Microsoft Entra ID client credentials, Google service-account JWTs), cached
 * until shortly before they expire and refreshed once for all callers, and AWS Signature Version 4
 * computed over each request as sent. {@link io.feathergate.credentials.CredentialedUpstream} wraps
 * the transport: it reads a request's {@link io.feathergate.core.spi.UpstreamAuth}, adds the
 * headers, and sends it on. Token requests go through the same non-blocking transport; signing a
 * JWT and completing waiting requests happen on this package's own thread, never on a reactor
 * thread. May use core, the SPI, errors and wire, the JDK's clock, crypto and concurrency; never
 * servlets, providers, config or the transport's classes.
 */
package io.feathergate.credentials;
