package io.feathergate.core.spi;

import io.feathergate.core.Deployment;
import io.feathergate.core.Http2Policy;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * @param http2 whether the call may go over HTTP/2
 * @param auth a credential to apply just before sending (a token to obtain, a signature to
 *     compute), or null when the headers hold everything
 * @param parts a body sent from parts instead of {@code body} (an upload), or null
 */
// the body is handed over once and never compared, so identity equality of the array is harmless
@SuppressWarnings("ArrayRecordComponent")
public record UpstreamRequest(
    URI uri,
    Map<String, String> headers,
    byte[] body,
    boolean stream,
    Duration idleTimeout,
    Duration deadline,
    Http2Policy http2,
    UpstreamAuth auth,
    BodyParts parts) {

  /** A request whose body is {@code body}. */
  public UpstreamRequest(
      URI uri,
      Map<String, String> headers,
      byte[] body,
      boolean stream,
      Duration idleTimeout,
      Duration deadline,
      Http2Policy http2,
      UpstreamAuth auth) {
    this(uri, headers, body, stream, idleTimeout, deadline, http2, auth, null);
  }

  /** A request whose headers hold its credentials. */
  public UpstreamRequest(
      URI uri,
      Map<String, String> headers,
      byte[] body,
      boolean stream,
      Duration idleTimeout,
      Duration deadline,
      Http2Policy http2) {
    this(uri, headers, body, stream, idleTimeout, deadline, http2, null, null);
  }

  /**
   * A POST for a deployment, with its timeouts: a stream gets {@code stream_timeout} as its silence
   * limit and no overall deadline; a whole call gets {@code timeout} for both.
   */
  public static UpstreamRequest post(
      URI uri, Map<String, String> headers, byte[] body, boolean stream, Deployment deployment) {
    return new UpstreamRequest(
        uri,
        headers,
        body,
        stream,
        stream ? deployment.streamTimeout() : deployment.timeout(),
        stream ? null : deployment.timeout(),
        deployment.http2());
  }

  /** The same request with one more header (replacing one of the same name). */
  public UpstreamRequest withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new UpstreamRequest(uri, more, body, stream, idleTimeout, deadline, http2, auth, parts);
  }

  /** The same request with {@code value} to apply before sending. */
  public UpstreamRequest withAuth(UpstreamAuth value) {
    return new UpstreamRequest(
        uri, headers, body, stream, idleTimeout, deadline, http2, value, parts);
  }

  /** The same request with several more headers (replacing any of the same names). */
  public UpstreamRequest withHeaders(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(more);
    return new UpstreamRequest(uri, all, body, stream, idleTimeout, deadline, http2, auth, parts);
  }

  /** The same request with its body sent from {@code value} instead. */
  public UpstreamRequest withParts(BodyParts value) {
    return new UpstreamRequest(
        uri, headers, new byte[0], stream, idleTimeout, deadline, http2, auth, value);
  }
}
