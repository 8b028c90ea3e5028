package io.feathergate.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.errors.SecretRedactor;
import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.routing.AttemptPlan;
import io.feathergate.core.spi.ChatCompletion;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.ProviderAdapter;
import io.feathergate.core.spi.ProviderRegistry;
import io.feathergate.core.spi.Route;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.StreamContext;
import io.feathergate.core.spi.StreamDecoder;
import io.feathergate.core.spi.TokenUsage;
import io.feathergate.core.spi.UpstreamCall;
import io.feathergate.core.spi.UpstreamClient;
import io.feathergate.core.spi.UpstreamListener;
import io.feathergate.core.spi.UpstreamRequest;
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
    public void respond(Map<String, String> headers, ChatCompletion completion) {
      committed = true;
      frames.add(new String(completion.json(), StandardCharsets.UTF_8));
    }

    @Override
    public boolean sendChunk(Map<String, String> headers, String chunkJson) {
      committed = true;
      frames.add(chunkJson);
      return true;
    }

    @Override
    public boolean sendEvent(Map<String, String> headers, SseEvent event) {
      committed = true;
      frames.add(event.event() + ": " + event.data());
      return true;
    }

    @Override
    public boolean hasRoom() {
      return true;
    }

    @Override
    public void endStream(Map<String, String> headers, TokenUsage usage) {
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
    public ChatCompletion fromUpstream(byte[] upstreamBody, StreamContext context) {
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

        @Override
        public TokenUsage usage() {
          return null;
        }
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
    return exchange(upstream, client, stream, GatewayListener.NONE);
  }

  private static ChatExchange exchange(
      UpstreamClient upstream, RecordingClient client, boolean stream, GatewayListener listener)
      throws Exception {
    ChatRequest request =
        ChatRequests.parse(
            ("{\"model\":\"m\",\"stream\":"
                    + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .getBytes(StandardCharsets.UTF_8));
    Deployment deployment = Deployment.builder("d", "m", "openai", "m").build();
    return new ChatExchange(
        new ChatExchange.Request(request, GatewaySettings.defaults(), "id", 1, () -> "call_1"),
        new SameDeploymentRetries(new Route(deployment, "m")),
        new ProviderRegistry(Map.of("openai", new EchoAdapter())),
        upstream,
        new RequestObserver(
            client,
            listener,
            SecretRedactor.shapesOnly(),
            new ClientInfo("req-1", "127.0.0.1", Principal.NONE),
            "/v1/chat/completions",
            System::nanoTime,
            0),
        null);
  }

  @Test
  void anErrorInsideTheStreamCancelsTheUpstreamEvenBeforeSendReturned() throws Exception {
    ImmediateUpstream upstream =
        new ImmediateUpstream(
            List.of(new SseEvent(null, "{\"a\":1}", null), new SseEvent("error", "{}", null)));
    RecordingClient client = new RecordingClient();
    exchange(upstream, client, true).start();
    assertThat(client.frames).containsExactly("{\"a\":1}");
    assertThat(client.failure.getMessage()).contains("boom");
    assertThat(upstream.cancels).isEqualTo(1);
  }

  @Test
  void theRequestIsRecordedBeforeTheClientHearsTheEndOfIt() throws Exception {
    // a client that reads the metrics as soon as its stream ended must find its request counted
    RecordingClient client = new RecordingClient();
    List<String> seenWhenRecorded = new ArrayList<>();
    GatewayListener listener =
        new GatewayListener() {
          @Override
          public void requestFinished(RequestRecord record) {
            seenWhenRecorded.add(record.status() + " ended=" + client.ended);
          }
        };
    exchange(
            new ImmediateUpstream(List.of(new SseEvent(null, "{\"a\":1}", null))),
            client,
            true,
            listener)
        .start();
    assertThat(client.ended).isTrue();
    assertThat(seenWhenRecorded).containsExactly("200 ended=false");

    RecordingClient failed = new RecordingClient();
    List<Boolean> failureSeenWhenRecorded = new ArrayList<>();
    GatewayListener failureListener =
        new GatewayListener() {
          @Override
          public void requestFinished(RequestRecord record) {
            failureSeenWhenRecorded.add(failed.failure != null);
          }
        };
    exchange(
            new ImmediateUpstream(List.of(new SseEvent("bug", "{}", null))),
            failed,
            true,
            failureListener)
        .start();
    assertThat(failed.failure).isNotNull();
    assertThat(failureSeenWhenRecorded).containsExactly(false);
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

  /** Answers each call with the next status; records every upstream body it was sent. */
  static final class ScriptedUpstream implements UpstreamClient {
    final List<String> bodies = new ArrayList<>();
    final List<String> urls = new ArrayList<>();
    private final List<Integer> statuses;

    ScriptedUpstream(Integer... statuses) {
      this.statuses = new ArrayList<>(List.of(statuses));
    }

    @Override
    public UpstreamCall send(UpstreamRequest request, UpstreamListener listener) {
      bodies.add(new String(request.body(), StandardCharsets.UTF_8));
      urls.add(request.uri().toString());
      UpstreamCall call =
          new UpstreamCall() {
            @Override
            public void cancel() {}

            @Override
            public void resume() {}
          };
      listener.onSend(call);
      int status = statuses.remove(0);
      listener.onResponse(
          status,
          Map.of(),
          (status == 200
                  ? "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}"
                  : "{\"error\":{\"message\":\"down\",\"type\":\"server_error\"}}")
              .getBytes(StandardCharsets.UTF_8));
      return call;
    }

    @Override
    public void close() {}
  }

  /**
   * The seam the router drives: a second attempt on another deployment is built from the client's
   * own request, not from the first attempt's (no inherited defaults), and the client's body is
   * never written into.
   */
  @Test
  void anAttemptOnAnotherDeploymentInheritsNothingFromTheOneBefore() throws Exception {
    ChatRequest request =
        ChatRequests.parse(
            "{\"model\":\"group\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
                .getBytes(StandardCharsets.UTF_8));
    String clientBodyBefore = request.body().toString();
    Deployment first =
        Deployment.builder("first", "group", "openai", "model-a")
            .apiBase(URI.create("http://127.0.0.1:1/a"))
            .defaultParams(
                Map.of(
                    "temperature",
                    io.feathergate.wire.Json.MAPPER.getNodeFactory().numberNode(0.1)))
            .build();
    Deployment second =
        Deployment.builder("second", "group", "openai", "model-b")
            .apiBase(URI.create("http://127.0.0.1:1/b"))
            .build();
    AttemptPlan plan =
        new AttemptPlan() {
          @Override
          public Route first() {
            return new Route(first, "model-a");
          }

          @Override
          public Route next(Route failed, GatewayException failure) {
            return failed.deployment().id().equals("first") ? new Route(second, "model-b") : null;
          }
        };
    ScriptedUpstream upstream = new ScriptedUpstream(500, 200);
    RecordingClient client = new RecordingClient();
    new ChatExchange(
            new ChatExchange.Request(request, GatewaySettings.defaults(), "id", 1, () -> "c"),
            plan,
            new ProviderRegistry(
                Map.of("openai", new io.feathergate.provider.openai.OpenAiAdapter())),
            upstream,
            new RequestObserver(
                client,
                GatewayListener.NONE,
                SecretRedactor.shapesOnly(),
                new ClientInfo("req-2", "127.0.0.1", Principal.NONE),
                "/v1/chat/completions",
                System::nanoTime,
                0),
            null)
        .start();
    assertThat(upstream.urls)
        .containsExactly(
            "http://127.0.0.1:1/a/chat/completions", "http://127.0.0.1:1/b/chat/completions");
    assertThat(upstream.bodies.get(0)).contains("\"temperature\":0.1").contains("model-a");
    assertThat(upstream.bodies.get(1)).doesNotContain("temperature").contains("model-b");
    assertThat(request.body().toString()).isEqualTo(clientBodyBefore);
    assertThat(client.failure).isNull();
    assertThat(client.frames).hasSize(1);
  }
}
