package io.feathergate.transport;

import java.net.SocketAddress;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

/**
 * The JDK's TLS with HttpClient's certificate and host name checks, set up on the first https call:
 * loading the trust store and the security providers takes a noticeable part of start-up, and a
 * gateway whose upstreams are all plain http never needs them.
 */
final class LazyTlsStrategy implements TlsStrategy {
  private volatile TlsStrategy delegate;

  private TlsStrategy delegate() {
    TlsStrategy strategy = delegate;
    if (strategy == null) {
      synchronized (this) {
        strategy = delegate;
        if (strategy == null) {
          strategy = ClientTlsStrategyBuilder.create().useSystemProperties().buildAsync();
          delegate = strategy;
        }
      }
    }
    return strategy;
  }

  @Override
  public void upgrade(
      TransportSecurityLayer sessionLayer,
      NamedEndpoint endpoint,
      Object attachment,
      Timeout handshakeTimeout,
      FutureCallback<TransportSecurityLayer> callback) {
    delegate().upgrade(sessionLayer, endpoint, attachment, handshakeTimeout, callback);
  }

  @Deprecated
  @Override
  public boolean upgrade(
      TransportSecurityLayer sessionLayer,
      HttpHost host,
      SocketAddress localAddress,
      SocketAddress remoteAddress,
      Object attachment,
      Timeout handshakeTimeout) {
    return delegate()
        .upgrade(sessionLayer, host, localAddress, remoteAddress, attachment, handshakeTimeout);
  }
}
