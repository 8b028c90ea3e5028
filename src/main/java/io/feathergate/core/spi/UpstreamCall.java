package io.feathergate.core.spi;

/** A running upstream exchange. Both methods may be called from any thread, any number of times. */
public interface UpstreamCall {

  /** Aborts the exchange and releases its connection; the listener hears nothing more. */
  void cancel();

  /** Reads again after {@link UpstreamListener#wantsMore()} said no. */
  void resume();
}
