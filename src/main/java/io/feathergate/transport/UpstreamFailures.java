package io.feathergate.transport;

import io.feathergate.core.errors.GatewayException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.H2StreamResetException;

/**
 * Names transport failures the way a client can act on them: unreachable (502), timed out (504), or
 * a response the gateway cannot read (502). Messages describe the failure, never the request, the
 * upstream's address (internal host names and ports stay in the gateway's log) or a Java class.
 */
final class UpstreamFailures {
  private static final Logger LOG = Logger.getLogger(UpstreamFailures.class.getName());

  private UpstreamFailures() {}

  static GatewayException classify(Exception failure, String host) {
    GatewayException classified = describe(failure);
    // FINE: this runs on an I/O reactor thread, which must not wait on a console during an outage;
    // the deployment id in the client's message leads to the api_base in /health and /model/info
    LOG.log(
        Level.FINE,
        "upstream {0}: {1} ({2})",
        new Object[] {host, classified.getMessage(), rootCause(failure)});
    return classified;
  }

  private static GatewayException describe(Exception failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
      if (cause instanceof GatewayException gateway) {
        return gateway;
      }
      if (cause instanceof ConnectionRequestTimeoutException) {
        return GatewayException.upstreamTimeout(
            "no connection to the upstream became free in the pool in time");
      }
      if (cause instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
        return GatewayException.upstreamUnreachable("connecting to the upstream timed out");
      }
      if (cause instanceof SocketTimeoutException) {
        return GatewayException.upstreamTimeout("the upstream sent nothing within the timeout");
      }
      if (cause instanceof UnknownHostException) {
        return GatewayException.upstreamUnreachable("the upstream's host name is unknown");
      }
      if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
        return GatewayException.upstreamUnreachable("the upstream refused the connection");
      }
      if (cause instanceof ConnectionClosedException) {
        return GatewayException.upstreamUnreachable(
            "the upstream closed the connection before the response was complete");
      }
      if (cause instanceof SSLException) {
        return GatewayException.upstreamUnreachable("the TLS handshake with the upstream failed");
      }
      if (cause instanceof MessageConstraintException) {
        return GatewayException.upstreamProtocol(
            "the upstream sent an oversized header (over the gateway's limits for header lines"
                + " and header count)");
      }
      if (cause instanceof ProtocolException) {
        return GatewayException.upstreamProtocol("the upstream broke the HTTP protocol");
      }
      if (cause instanceof UpstreamProtocolException) {
        return GatewayException.upstreamProtocol(cause.getMessage());
      }
    }
    return GatewayException.upstreamUnreachable("the connection to the upstream failed");
  }

  /**
   * Whether a failure certainly came before the upstream took the request: an HTTP/2 stream the
   * server's GOAWAY left unprocessed or refused ({@code REFUSED_STREAM}), a request the connection
   * closed on before starting it, or a connection closed before any byte of an answer when {@code
   * closedBeforeTaking} says what kind of connection makes that certain.
   */
  static boolean notSent(Exception failure, boolean closedBeforeTaking) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
      if (cause instanceof RequestNotExecutedException) {
        return true;
      }
      if (cause instanceof H2StreamResetException reset
          && reset.getCode() == H2Error.REFUSED_STREAM.getCode()) {
        return true;
      }
      // a close (not a reset, which may cut a request the upstream was working on)
      if (closedBeforeTaking && cause instanceof ConnectionClosedException) {
        return true;
      }
    }
    return false;
  }

  /** For the log: the innermost cause, named. */
  private static String rootCause(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause.getCause() != null && depth < 10; depth++) {
      cause = cause.getCause();
    }
    return cause.getClass().getName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
