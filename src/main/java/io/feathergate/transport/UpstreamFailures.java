package io.feathergate.transport;

import io.feathergate.core.GatewayException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;

/**
 * Names transport failures the way a client can act on them: unreachable (502) versus timed out
 * (504). Messages describe the failure, never the request.
 */
final class UpstreamFailures {
  private static final Logger LOG = Logger.getLogger(UpstreamFailures.class.getName());

  private UpstreamFailures() {}

  static GatewayException classify(Exception failure, String host) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
      if (cause instanceof GatewayException gateway) {
        return gateway;
      }
      if (cause instanceof ConnectionRequestTimeoutException) {
        return GatewayException.upstreamTimeout(
            "no connection to " + host + " became free in the pool in time");
      }
      if (cause instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
        return GatewayException.upstreamUnreachable("connecting to " + host + " timed out");
      }
      if (cause instanceof SocketTimeoutException) {
        return GatewayException.upstreamTimeout(host + " sent nothing within the timeout");
      }
      if (cause instanceof UnknownHostException) {
        return GatewayException.upstreamUnreachable("unknown host " + host);
      }
      if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
        return GatewayException.upstreamUnreachable("connection to " + host + " refused");
      }
      if (cause instanceof ConnectionClosedException) {
        return GatewayException.upstreamUnreachable(
            host + " closed the connection before the response was complete");
      }
      if (cause instanceof SSLException) {
        return GatewayException.upstreamUnreachable("TLS handshake with " + host + " failed");
      }
      if (cause instanceof UpstreamProtocolException) {
        return GatewayException.upstreamProtocol(cause.getMessage());
      }
    }
    // the client is not told the exception's class: it names the HTTP library, not the failure
    LOG.log(
        Level.FINE,
        "upstream {0}: unclassified failure {1}",
        new Object[] {host, failure.getClass().getName()});
    return GatewayException.upstreamUnreachable("connection to " + host + " failed");
  }
}
