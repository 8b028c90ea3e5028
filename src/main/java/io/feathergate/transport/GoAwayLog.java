package io.feathergate.transport;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.core5.function.Decorator;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http2.frame.FrameType;
import org.apache.hc.core5.http2.frame.RawFrame;
import org.apache.hc.core5.http2.impl.nio.H2StreamListener;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.IOSessionListener;

/**
 * Which HTTP/2 connections an upstream retired with a graceful GOAWAY (no error), by their local
 * address. HttpCore 5.4 leaves the gateway's streams beyond a GOAWAY's last stream open until the
 * connection closes, then fails them as a closed connection. A graceful server completes every
 * stream it took before it closes, so a stream of such a connection that fails before any byte of
 * its answer was never taken, and is sent again. A new connection that gets the local address of an
 * old one starts with a clean record. The retired connection's {@link RetirableSession} is told at
 * once, so that the pool stops handing it out while it drains.
 */
final class GoAwayLog implements H2StreamListener, IOSessionListener, Decorator<IOSession> {
  /** Connections remembered at most; GOAWAY is rare, and entries go as they age. */
  private static final int LIMIT = 256;

  private static final long FORGET_AFTER_NANOS = 10L * 60 * 1_000_000_000;

  private final ConcurrentHashMap<SocketAddress, Long> retired = new ConcurrentHashMap<>();

  /**
   * The sessions of the connections open now, by session id: HttpCore tells of a disconnection with
   * the bare session, whose address can no longer be read, but whose id is the same.
   */
  private final ConcurrentHashMap<String, RetirableSession> open = new ConcurrentHashMap<>();

  /** Wraps each HTTP/2 connection's session as it opens (and again once TLS starts on it). */
  @Override
  public IOSession decorate(IOSession session) {
    return new RetirableSession(session);
  }

  /**
   * Whether the connection with this local address was retired gracefully.
   *
   * @param localAddress the connection's local address, or null when unknown
   */
  boolean retired(SocketAddress localAddress) {
    return localAddress != null && retired.containsKey(localAddress);
  }

  @Override
  public void onFrameInput(HttpConnection connection, int streamId, RawFrame frame) {
    if (frame.getType() != FrameType.GOAWAY.getValue() || streamId != 0) {
      return;
    }
    ByteBuffer payload = frame.getPayload();
    SocketAddress local = connection.getLocalAddress();
    if (payload == null || payload.remaining() < 8 || local == null) {
      return;
    }
    if (payload.getInt(payload.position() + 4) != 0) {
      return; // an error GOAWAY: the streams it cut may have been taken
    }
    for (RetirableSession session : open.values()) {
      if (local.equals(session.getLocalAddress())) {
        session.retire();
      }
    }
    long now = System.nanoTime();
    if (retired.size() >= LIMIT) {
      retired.values().removeIf(at -> now - at > FORGET_AFTER_NANOS);
    }
    if (retired.size() < LIMIT) {
      retired.put(local, now);
    }
  }

  @Override
  public void connected(IOSession session) {
    SocketAddress local = session.getLocalAddress();
    if (local == null) {
      return;
    }
    if (!retired.isEmpty()) {
      retired.remove(local);
    }
    // called again with the TLS session once TLS starts: the later session is the pool's
    if (session instanceof RetirableSession retirable) {
      open.put(session.getId(), retirable);
    }
  }

  @Override
  public void startTls(IOSession session) {}

  @Override
  public void inputReady(IOSession session) {}

  @Override
  public void outputReady(IOSession session) {}

  @Override
  public void timeout(IOSession session) {}

  @Override
  public void exception(IOSession session, Exception cause) {}

  @Override
  public void disconnected(IOSession session) {
    open.remove(session.getId());
  }

  @Override
  public void onHeaderOutput(
      HttpConnection connection, int streamId, List<? extends Header> headers) {}

  @Override
  public void onHeaderInput(
      HttpConnection connection, int streamId, List<? extends Header> headers) {}

  @Override
  public void onFrameOutput(HttpConnection connection, int streamId, RawFrame frame) {}

  @Override
  public void onInputFlowControl(
      HttpConnection connection, int streamId, int delta, int actualSize) {}

  @Override
  public void onOutputFlowControl(
      HttpConnection connection, int streamId, int delta, int actualSize) {}
}
