/**
 * Calls to upstreams on Apache HttpClient 5's reactor: HTTP/1.1 pooled and HTTP/2 multiplexed, the
 * back-pressured response consumer, the SSE frame decoder, timeouts, and failures named for clients
 * (never with the upstream's address or a Java class). Implements core's {@link
 * io.feathergate.core.spi.UpstreamClient}; knows no servlets and no provider.
 */
package io.feathergate.transport;
