package io.feathergate.transport;

import java.util.concurrent.Future;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP/1.1 pool, marking in each exchange's context whether its connection was opened for it. A
 * call on a pooled connection that closes before any byte of an answer met a connection the
 * upstream had already closed as idle: the upstream never took the request, and sending it again on
 * a new connection is safe (the rule Go's HTTP client follows).
 */
final class FreshConnectionMarker implements AsyncClientConnectionManager {
  /** Set in the exchange's context when its connection was opened for it. */
  static final String FRESH = "feathergate.fresh-connection";

  private final AsyncClientConnectionManager pool;

  FreshConnectionMarker(AsyncClientConnectionManager pool) {
    this.pool = pool;
  }

  @Override
  public Future<AsyncConnectionEndpoint> lease(
      String id,
      HttpRoute route,
      Object state,
      Timeout requestTimeout,
      FutureCallback<AsyncConnectionEndpoint> callback) {
    return pool.lease(id, route, state, requestTimeout, callback);
  }

  @Override
  public void release(AsyncConnectionEndpoint endpoint, Object newState, TimeValue validDuration) {
    pool.release(endpoint, newState, validDuration);
  }

  @Override
  public Future<AsyncConnectionEndpoint> connect(
      AsyncConnectionEndpoint endpoint,
      ConnectionInitiator connectionInitiator,
      Timeout connectTimeout,
      Object attachment,
      HttpContext context,
      FutureCallback<AsyncConnectionEndpoint> callback) {
    if (context != null) {
      context.setAttribute(FRESH, Boolean.TRUE);
    }
    return pool.connect(
        endpoint, connectionInitiator, connectTimeout, attachment, context, callback);
  }

  @Override
  public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context) {
    pool.upgrade(endpoint, attachment, context);
  }

  @Override
  public void close(CloseMode closeMode) {
    pool.close(closeMode);
  }

  @Override
  public void close() throws java.io.IOException {
    pool.close();
  }
}
