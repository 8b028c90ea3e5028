package io.feathergate.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.locks.Lock;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;

/**
 * An HTTP/2 connection's session as HttpCore's connection pool sees it: it reads as closed once the
 * upstream has retired the connection with a graceful GOAWAY, so that the pool opens a new
 * connection for the next call, while this one goes on serving the streams the upstream took until
 * the upstream closes it. Without this the pool keeps handing out a draining connection (it only
 * asks whether the socket is open), where HttpCore refuses every new stream: a server that drains
 * for seconds, as load balancers do on a redeploy, would fail every call made meanwhile.
 *
 * <p>HttpCore's HTTP/2 requester asks once more, right after queueing a call on the connection the
 * pool gave it, and fails the call at once if the answer is "closed". That question is answered
 * with the socket's state: a call queued on a connection retired meanwhile is refused by HttpCore
 * itself (and sent again, never having left), or, if it got its stream before the GOAWAY, is served
 * or refused by the upstream; failing it there could drop a call the upstream is working on.
 */
final class RetirableSession implements IOSession {
  /**
   * The session this thread has just queued a call on, until its next look at whether it is open.
   */
  private static final ThreadLocal<RetirableSession> JUST_QUEUED = new ThreadLocal<>();

  private final IOSession session;
  private volatile boolean retired;

  RetirableSession(IOSession session) {
    this.session = session;
  }

  /** The upstream sent a graceful GOAWAY on this connection: no new calls go to it. */
  void retire() {
    retired = true;
  }

  @Override
  public boolean isOpen() {
    boolean justQueued = JUST_QUEUED.get() == this;
    if (justQueued) {
      JUST_QUEUED.remove();
    }
    return (justQueued || !retired) && session.isOpen();
  }

  @Override
  public IOEventHandler getHandler() {
    return session.getHandler();
  }

  @Override
  public void upgrade(IOEventHandler handler) {
    session.upgrade(handler);
  }

  @Override
  public Lock getLock() {
    return session.getLock();
  }

  @Override
  public void enqueue(Command command, Command.Priority priority) {
    if (command instanceof RequestExecutionCommand) {
      JUST_QUEUED.set(this);
    }
    session.enqueue(command, priority);
  }

  @Override
  public boolean hasCommands() {
    return session.hasCommands();
  }

  @Override
  public Command poll() {
    return session.poll();
  }

  @Override
  public ByteChannel channel() {
    return session.channel();
  }

  @Override
  public SocketAddress getRemoteAddress() {
    return session.getRemoteAddress();
  }

  @Override
  public SocketAddress getLocalAddress() {
    return session.getLocalAddress();
  }

  @Override
  public int getEventMask() {
    return session.getEventMask();
  }

  @Override
  public void setEventMask(int ops) {
    session.setEventMask(ops);
  }

  @Override
  public void setEvent(int op) {
    session.setEvent(op);
  }

  @Override
  public void clearEvent(int op) {
    session.clearEvent(op);
  }

  @Override
  public void close() {
    session.close();
  }

  @Override
  public void close(CloseMode closeMode) {
    session.close(closeMode);
  }

  @Override
  public Status getStatus() {
    return session.getStatus();
  }

  @Override
  public Timeout getSocketTimeout() {
    return session.getSocketTimeout();
  }

  @Override
  public void setSocketTimeout(Timeout timeout) {
    session.setSocketTimeout(timeout);
  }

  @Override
  public long getLastReadTime() {
    return session.getLastReadTime();
  }

  @Override
  public long getLastWriteTime() {
    return session.getLastWriteTime();
  }

  @Override
  public long getLastEventTime() {
    return session.getLastEventTime();
  }

  @Override
  public void updateReadTime() {
    session.updateReadTime();
  }

  @Override
  public void updateWriteTime() {
    session.updateWriteTime();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return session.read(dst);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return session.write(src);
  }

  @Override
  public String getId() {
    return session.getId();
  }

  @Override
  public String toString() {
    return session.toString();
  }
}
