package io.feathergate.core.exchange;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.UpstreamCall;
import io.feathergate.core.spi.UpstreamClient;
import io.feathergate.core.spi.UpstreamListener;
import io.feathergate.core.spi.UpstreamRequest;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Several whole-answer calls of one attempt, sent at once and seen by the attempt as one: their
 * bodies, when all succeed, as one JSON array in request order; else the first failure, with the
 * other calls cancelled. Never a stream.
 */
final class FanOut implements UpstreamCall {
  private final UpstreamListener attempt;
  private final AtomicReferenceArray<UpstreamCall> calls;
  private final AtomicReferenceArray<byte[]> bodies;
  private final AtomicInteger pending;
  private final AtomicBoolean finished = new AtomicBoolean();

  private FanOut(UpstreamListener attempt, int size) {
    this.attempt = attempt;
    this.calls = new AtomicReferenceArray<>(size);
    this.bodies = new AtomicReferenceArray<>(size);
    this.pending = new AtomicInteger(size);
  }

  /** Sends every request; the attempt hears once, as from one call. */
  static void send(
      UpstreamClient upstream, List<UpstreamRequest> requests, UpstreamListener attempt) {
    FanOut fanOut = new FanOut(attempt, requests.size());
    attempt.onSend(fanOut);
    for (int i = 0; i < requests.size() && !fanOut.finished.get(); i++) {
      upstream.send(requests.get(i), fanOut.new Part(i));
    }
  }

  @Override
  public void cancel() {
    finished.set(true);
    for (int i = 0; i < calls.length(); i++) {
      UpstreamCall call = calls.get(i);
      if (call != null) {
        call.cancel();
      }
    }
  }

  @Override
  public void resume() {
    // whole answers only: nothing is ever paused
  }

  private void fail(Runnable report) {
    if (finished.compareAndSet(false, true)) {
      cancel();
      report.run();
    }
  }

  private void succeeded(int index, Map<String, String> headers, byte[] body) {
    bodies.set(index, body);
    if (pending.decrementAndGet() == 0 && finished.compareAndSet(false, true)) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write('[');
      for (int i = 0; i < bodies.length(); i++) {
        if (i > 0) {
          all.write(',');
        }
        all.writeBytes(bodies.get(i));
      }
      all.write(']');
      attempt.onResponse(200, headers, all.toByteArray());
    }
  }

  /** The listener of one of the calls. */
  private final class Part implements UpstreamListener {
    private final int index;

    Part(int index) {
      this.index = index;
    }

    @Override
    public void onSend(UpstreamCall call) {
      calls.set(index, call);
      if (finished.get()) {
        call.cancel();
      }
    }

    @Override
    public void onResponse(int status, Map<String, String> headers, byte[] body) {
      if (status >= 200 && status < 300) {
        succeeded(index, headers, body);
      } else {
        fail(() -> attempt.onResponse(status, headers, body));
      }
    }

    @Override
    public void onStreamStart(int status, Map<String, String> headers) {
      fail(
          () ->
              attempt.onFailure(
                  GatewayException.upstreamProtocol("a stream came where a whole answer was due")));
    }

    @Override
    public void onEvent(SseEvent event) {
      // refused at its start
    }

    @Override
    public boolean wantsMore() {
      return !finished.get();
    }

    @Override
    public void onStreamEnd() {
      // refused at its start
    }

    @Override
    public void onFailure(GatewayException failure) {
      fail(() -> attempt.onFailure(failure));
    }
  }
}
