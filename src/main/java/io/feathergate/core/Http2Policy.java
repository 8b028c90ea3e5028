package io.feathergate.core;

/**
 * Whether a deployment's upstream calls go over HTTP/2, which carries many calls as streams of one
 * connection instead of one connection per call.
 *
 * @param enabled HTTP/2 (negotiated through ALPN over https, prior knowledge over plain http)
 *     rather than HTTP/1.1
 * @param maxStreams how many calls at once may share the HTTP/2 connection to one upstream; more go
 *     over HTTP/1.1 connections instead of waiting for a free stream
 */
public record Http2Policy(boolean enabled, int maxStreams) {

  /** Real providers allow 100 to 256 concurrent streams per connection. */
  public static final int DEFAULT_MAX_STREAMS = 100;

  public static final Http2Policy OFF = new Http2Policy(false, DEFAULT_MAX_STREAMS);
  public static final Http2Policy ON = new Http2Policy(true, DEFAULT_MAX_STREAMS);

  public Http2Policy {
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams must be positive");
    }
  }
}
