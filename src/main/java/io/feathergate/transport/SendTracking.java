package io.feathergate.transport;

import java.io.IOException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * An HTTP/1.1 request producer that says when the request's head starts going out. A call that
 * fails before that never reached the upstream (its pooled connection closed first), so it is safe
 * to send again. Not for HTTP/2: HttpCore's requester produces the head before it has a connection
 * (see {@code UpstreamExchange.closedBeforeTaking}).
 */
final class SendTracking implements AsyncRequestProducer {
  private final AsyncRequestProducer delegate;
  private final Runnable onSend;

  SendTracking(AsyncRequestProducer delegate, Runnable onSend) {
    this.delegate = delegate;
    this.onSend = onSend;
  }

  @Override
  public void sendRequest(RequestChannel channel, HttpContext context)
      throws HttpException, IOException {
    onSend.run();
    delegate.sendRequest(channel, context);
  }

  @Override
  public boolean isRepeatable() {
    return delegate.isRepeatable();
  }

  @Override
  public void failed(Exception cause) {
    delegate.failed(cause);
  }

  @Override
  public int available() {
    return delegate.available();
  }

  @Override
  public void produce(DataStreamChannel channel) throws IOException {
    delegate.produce(channel);
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }
}
