package io.feathergate.core.spi;

/** Sends requests upstream without blocking; the transport package implements it. */
public interface UpstreamClient extends AutoCloseable {

  /**
   * Starts one exchange. Every outcome reaches {@code listener} exactly once as {@code onResponse},
   * {@code onStreamEnd} or {@code onFailure}, unless the call is cancelled first.
   */
  UpstreamCall send(UpstreamRequest request, UpstreamListener listener);

  @Override
  void close();
}
