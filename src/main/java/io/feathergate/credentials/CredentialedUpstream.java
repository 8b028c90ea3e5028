package io.feathergate.credentials;

import io.feathergate.core.Http2Policy;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.SseEvent;
import io.feathergate.core.spi.UpstreamAuth;
import io.feathergate.core.spi.UpstreamAuth.AwsSigV4;
import io.feathergate.core.spi.UpstreamAuth.OAuthToken;
import io.feathergate.core.spi.UpstreamAuth.TokenGrant;
import io.feathergate.core.spi.UpstreamCall;
import io.feathergate.core.spi.UpstreamClient;
import io.feathergate.core.spi.UpstreamListener;
import io.feathergate.core.spi.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The transport with credentials applied: a request that names an {@link UpstreamAuth} gets its
 * headers here and is then sent by the transport it wraps; any other request passes straight
 * through.
 *
 * <p>An AWS signature is computed at once, on the caller's thread (microseconds of hashing). An
 * OAuth token comes from the {@link TokenCache}: when the cached one is fresh the request is sent
 * at once; otherwise it waits, holding no thread, for the one fetch all callers of that grant
 * share, and is sent from this component's own thread when the token arrives. A token the upstream
 * refuses with 401 is dropped, so that the next request fetches a new one.
 */
public final class CredentialedUpstream implements UpstreamClient {
  private static final Logger LOG = Logger.getLogger(CredentialedUpstream.class.getName());
  private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);

  private final UpstreamClient transport;
  private final Clock clock;
  private final ExecutorService worker;
  private final TokenCache tokens;

  public CredentialedUpstream(UpstreamClient transport, Clock clock) {
    this.transport = transport;
    this.clock = clock;
    this.worker =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "feathergate-credentials");
              thread.setDaemon(true);
              return thread;
            });
    this.tokens = new TokenCache(this::fetch, clock);
  }

  /** How many token requests {@code grant} caused so far. */
  public int tokenFetches(TokenGrant grant) {
    return tokens.fetches(grant);
  }

  @Override
  public UpstreamCall send(UpstreamRequest request, UpstreamListener listener) {
    UpstreamAuth auth = request.auth();
    if (auth == null) {
      return transport.send(request, listener);
    }
    if (auth instanceof AwsSigV4 aws) {
      Map<String, String> signature =
          SigV4.headersFor(
              "POST",
              request.uri(),
              request.body(),
              aws.accessKeyId(),
              aws.secretAccessKey(),
              aws.sessionToken(),
              aws.region(),
              aws.service(),
              clock.instant());
      return transport.send(request.withAuth(null).withHeaders(signature), listener);
    }
    Attempt attempt = new Attempt(request.withAuth(null), ((OAuthToken) auth).grant(), listener);
    listener.onSend(attempt);
    attempt.start();
    return attempt;
  }

  /** Asks the grant's token endpoint for a token; the answer completes on this thread. */
  private CompletableFuture<AccessToken> fetch(TokenGrant grant) {
    CompletableFuture<AccessToken> result = new CompletableFuture<>();
    try {
      worker.execute(
          () -> {
            try {
              // signing a JWT costs a millisecond of RSA: here, never on a reactor thread
              byte[] form =
                  TokenRequests.form(grant, clock.instant()).getBytes(StandardCharsets.UTF_8);
              Map<String, String> headers = new LinkedHashMap<>();
              headers.put("Content-Type", "application/x-www-form-urlencoded");
              headers.put("Accept", "application/json");
              UpstreamRequest tokenRequest =
                  new UpstreamRequest(
                      grant.tokenUri(),
                      headers,
                      form,
                      false,
                      TOKEN_TIMEOUT,
                      TOKEN_TIMEOUT,
                      Http2Policy.OFF);
              transport.send(tokenRequest, new TokenAnswer(result));
            } catch (GatewayException e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(GatewayException.internal("The gateway is shutting down."));
    }
    return result;
  }

  /** Hands a task to this component's thread; when it is gone (shut down) runs nothing. */
  private void onWorker(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.fine("credentials thread stopped; a token answer is dropped");
    }
  }

  /** The token endpoint's answer, read on this component's thread. */
  private final class TokenAnswer implements UpstreamListener {
    private final CompletableFuture<AccessToken> result;

    TokenAnswer(CompletableFuture<AccessToken> result) {
      this.result = result;
    }

    @Override
    public void onSend(UpstreamCall call) {
      // a token request is never cancelled: its callers may leave, the next ones use its token
    }

    @Override
    public void onResponse(int status, Map<String, String> headers, byte[] body) {
      onWorker(
          () -> {
            try {
              if (status >= 200 && status < 300) {
                result.complete(TokenRequests.read(body, clock.instant()));
              } else {
                result.completeExceptionally(TokenRequests.refused(status, body));
              }
            } catch (GatewayException e) {
              result.completeExceptionally(e);
            }
          });
    }

    @Override
    public void onStreamStart(int status, Map<String, String> headers) {
      onFailure(GatewayException.upstreamProtocol("the token endpoint answered with a stream"));
    }

    @Override
    public void onEvent(SseEvent event) {
      // not a stream request
    }

    @Override
    public boolean wantsMore() {
      return true;
    }

    @Override
    public void onStreamEnd() {
      // not a stream request
    }

    @Override
    public void onFailure(GatewayException failure) {
      onWorker(
          () ->
              result.completeExceptionally(
                  failure.withMessage(
                      "The gateway could not obtain an access token for this deployment: "
                          + failure.getMessage())));
    }
  }

  /**
   * One request waiting for its token, then under way: the call its listener holds, forwarding to
   * the transport's call once there is one.
   */
  private final class Attempt implements UpstreamCall, UpstreamListener {
    private final UpstreamRequest request;
    private final TokenGrant grant;
    private final UpstreamListener listener;
    private volatile UpstreamCall inner;
    private volatile boolean cancelled;
    private AccessToken token;

    Attempt(UpstreamRequest request, TokenGrant grant, UpstreamListener listener) {
      this.request = request;
      this.grant = grant;
      this.listener = listener;
    }

    void start() {
      CompletableFuture<AccessToken> pending = tokens.get(grant);
      if (pending.isDone() && !pending.isCompletedExceptionally()) {
        sendWith(pending.join());
        return;
      }
      // the outcome reaches the listener from inside; nothing waits for this future
      var unused =
          pending.whenCompleteAsync(
              (value, error) -> {
                if (cancelled) {
                  return;
                }
                if (error != null) {
                  Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                  listener.onFailure(
                      cause instanceof GatewayException failure
                          ? failure
                          : GatewayException.internal(
                              "The gateway could not obtain an access token."));
                } else {
                  sendWith(value);
                }
              },
              worker);
    }

    private void sendWith(AccessToken value) {
      token = value;
      transport.send(request.withHeader("Authorization", "Bearer " + value.value()), this);
    }

    @Override
    public void cancel() {
      cancelled = true;
      UpstreamCall running = inner;
      if (running != null) {
        running.cancel();
      }
    }

    @Override
    public void resume() {
      UpstreamCall running = inner;
      if (running != null) {
        running.resume();
      }
    }

    @Override
    public void onSend(UpstreamCall call) {
      inner = call;
      if (cancelled) {
        call.cancel();
      }
    }

    @Override
    public void onResponse(int status, Map<String, String> headers, byte[] body) {
      if (status == 401) {
        // a token the upstream no longer takes (revoked, rotated) is not offered again: the next
        // request fetches a new one (sending this one twice could run it twice upstream)
        tokens.invalidate(grant, token);
      }
      listener.onResponse(status, headers, body);
    }

    @Override
    public void onStreamStart(int status, Map<String, String> headers) {
      listener.onStreamStart(status, headers);
    }

    @Override
    public void onEvent(SseEvent event) {
      listener.onEvent(event);
    }

    @Override
    public boolean wantsMore() {
      return listener.wantsMore();
    }

    @Override
    public void onStreamEnd() {
      listener.onStreamEnd();
    }

    @Override
    public void onFailure(GatewayException failure) {
      listener.onFailure(failure);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transport.close();
  }
}
