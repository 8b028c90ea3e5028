package io.feathergate.transport;

/** An upstream response the gateway cannot accept: an oversized event or body. */
public final class UpstreamProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UpstreamProtocolException(String message) {
    super(message, null, false, false);
  }
}
