package io.feathergate.core;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * An HTTP request to an upstream, as a provider adapter builds it.
 *
 * @param uri the full URL
 * @param headers header name to value, in the order they are sent
 * @param body the request body
 * @param stream whether a successful response is an event stream
 * @param idleTimeout the longest silence allowed while waiting for bytes
 * @param deadline the longest the whole exchange may take, or null for none (streams)
 */
public record UpstreamRequest(
    URI uri,
    Map<String, String> headers,
    byte[] body,
    boolean stream,
    Duration idleTimeout,
    Duration deadline) {}
