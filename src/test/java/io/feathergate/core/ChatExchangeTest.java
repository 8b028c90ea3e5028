package io.feathergate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exchange driven by a transport that calls back before {@code send} returns, as a fast I/O
 * thread can: a failure inside the stream must still cancel the upstream and reach the client.
 */
class ChatExchangeTest {

  /** A client side that records what it was told. */
  static final class RecordingClient implements ClientChannel {
    final List<String> frames = new ArrayList<>();
    GatewayException failure;
    boolean ended;
    boolean committed;

    @Override
    public void respond(int status, Map<String, String> headers, byte[] json) {
      committed = true;
      frames.add(new String(json, StandardCharsets.UTF_8));
    }

    @Override
    public boolean sendEvent(Map<String, String> headers, byte[] frame) {
      committed = true;
      frames.add(new String(frame, StandardCharsets.UTF_8));
      return true;
    }

    @Override
    public boolean hasRoom() {
      return true;
    }

    @Override
    public void endStream() {
      ended = true;
    }

    @Override
    public void fail(GatewayException e) {
      failure = e;
    }

    @Override
    public boolean isCommitted() {
      return committed;
    }

    @Override
    public void bind(Runnable onDrained, Runnable onClientGone) {}
  }

  /**
   * Passes data through; an event named "error" is an in-stream failure, "bug" a translator bug.
   */
  static final class EchoAdapter implements ProviderAdapter {
    @Override
    public UpstreamRequest toUpstream(ChatRequest clientRequest, Route route) {
      return UpstreamRequest.post(
          URI.create("http://127.0.0.1:1/x"), Map.of(), new byte[0], true, route.deployment());
    }

    @Override
    public byte[] fromUpstream(byte[] upstreamBody, StreamContext context) {
      throw new IllegalStateException("a translator bug");
    }

    @Override
    public StreamDecoder newStreamDecoder(StreamContext context) {
      return new StreamDecoder() {
        @Override
        public void onEvent(SseEvent event, List<String> out) {
          if ("error".equals(event.event())) {
            throw GatewayException.upstreamProtocol("boom");
          }
          if ("bug".equals(event.event())) {
            throw new NullPointerException();
          }
          out.add(event.data());
        }

        @Override
        public void onEnd(List<String> out) {}
      };
    }

    @Override
    public GatewayException toError(int status, Map<String, String> headers, byte[] body) {
      return GatewayException.upstreamProtocol("status " + status);
    }
  }

  /** Delivers a scripted stream synchronously inside send(). */
  static final class ImmediateUpstream implements UpstreamClient {
    final List<SseEvent> events;
    int cancels;

    ImmediateUpstream(List<SseEvent> events) {
      this.events = events;
    }

    @Override
    public UpstreamCall send(UpstreamRequest request, UpstreamListener listener) {
      UpstreamCall call =
          new UpstreamCall() {
            @Override
            public void cancel() {
              cancels++;
            }

            @Override
            public void resume() {}
          };
      listener.onSend(call);
      listener.onStreamStart(200, Map.of());
      // like the real transport, nothing more reaches a listener once it cancelled
      for (SseEvent event : events) {
        if (cancels > 0) {
          return call;
        }
        listener.onEvent(event);
      }
      if (cancels == 0) {
        listener.onStreamEnd();
      }
      return call;
    }

    @Override
    public void close() {}
  }

  private static ChatExchange exchange(
      UpstreamClient upstream, RecordingClient client, boolean stream) throws Exception {
    ChatRequest request =
        ChatRequests.parse(
            ("{\"model\":\"m\",\"stream\":"
                    + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .getBytes(StandardCharsets.UTF_8));
    Deployment deployment = DeploymentDirectoryTest.deployment("d", "m", "m");
    StreamContext context = new StreamContext(request, "m", "id", 1, () -> "call_1");
    return new ChatExchange(
        request,
        new Route(deployment, "m"),
        new EchoAdapter(),
        upstream,
        context,
        Map.of(),
        new RequestObserver(
            client,
            GatewayListener.NONE,
            SecretRedactor.shapesOnly(),
            new ClientInfo("req-1", "127.0.0.1"),
            "/v1/chat/completions",
            System::nanoTime,
            0));
  }

  @Test
  void anErrorInsideTheStreamCancelsTheUpstreamEvenBeforeSendReturned() throws Exception {
    ImmediateUpstream upstream =
        new ImmediateUpstream(
            List.of(new SseEvent(null, "{\"a\":1}", null), new SseEvent("error", "{}", null)));
    RecordingClient client = new RecordingClient();
    exchange(upstream, client, true).start();
    assertThat(client.frames).containsExactly("data: {\"a\":1}\n\n");
    assertThat(client.failure.getMessage()).contains("boom");
    assertThat(upstream.cancels).isEqualTo(1);
  }

  @Test
  void aTranslatorBugIsReportedAsSuchNotAsAnUnreachableUpstream() throws Exception {
    ImmediateUpstream upstream = new ImmediateUpstream(List.of(new SseEvent("bug", "{}", null)));
    RecordingClient client = new RecordingClient();
    exchange(upstream, client, true).start();
    assertThat(client.failure.status()).isEqualTo(502);
    assertThat(client.failure.getMessage())
        .contains("could not translate")
        .doesNotContain("Exception");
    assertThat(upstream.cancels).isEqualTo(1);
  }
}
