package io.feathergate.transport;

import io.feathergate.core.UpstreamCall;
import io.feathergate.core.UpstreamClient;
import io.feathergate.core.UpstreamListener;
import io.feathergate.core.UpstreamRequest;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The upstream transport: one shared Apache HttpClient 5 async client with a connection pool. I/O
 * runs on a few reactor threads; no thread waits for an upstream.
 */
public final class HttpClientUpstream implements UpstreamClient {

  /** Tunables of the transport; {@link #defaults()} suits a gateway. */
  public record Options(
      int maxConnections,
      int ioThreads,
      Timeout connectTimeout,
      int maxEventBytes,
      int maxBodyBytes) {
    public static Options defaults() {
      return new Options(
          10_000,
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          Timeout.ofSeconds(10),
          16 * 1024 * 1024,
          64 * 1024 * 1024);
    }
  }

  private static final Logger LOG = Logger.getLogger(HttpClientUpstream.class.getName());

  /** Pooled connections unused this long are closed: upstreams drop idle ones eventually. */
  private static final TimeValue IDLE_CONNECTION_LIMIT = TimeValue.ofSeconds(60);

  private static final long EVICTION_PERIOD_SECONDS = 10;

  private final CloseableHttpAsyncClient client;
  private final ScheduledExecutorService deadlines;
  private final Options options;

  public HttpClientUpstream(Options options) {
    this.options = options;
    PoolingAsyncClientConnectionManager connections =
        PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(options.maxConnections())
            .setMaxConnPerRoute(options.maxConnections())
            // lax: no global lock on the pool, so thousands of concurrent leases do not contend
            .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(options.connectTimeout())
                    .setTimeToLive(TimeValue.ofMinutes(5))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build())
            .build();
    this.client =
        HttpAsyncClients.custom()
            .setConnectionManager(connections)
            .setIOReactorConfig(
                IOReactorConfig.custom()
                    .setIoThreadCount(options.ioThreads())
                    .setTcpNoDelay(true)
                    .build())
            // the gateway decides about retries itself: a retried stream could be sent twice
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            // no evictIdleConnections: its thread is only interrupted on close, not awaited, so a
            // container could see it alive after undeploy; the timer below evicts instead
            // one line per reactor failure instead of HttpClient's default stack trace
            .setIoReactorExceptionCallback(
                failure ->
                    LOG.warning(
                        () -> "upstream I/O reactor: " + failure.getClass().getSimpleName()))
            .build();
    this.client.start();
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = Executors.defaultThreadFactory().newThread(runnable);
              thread.setName("feathergate-upstream-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true);
    this.deadlines = timer;
    scheduleEviction(timer, connections);
  }

  // the task runs until close() stops the timer: there is no result to wait for
  @SuppressWarnings("FutureReturnValueIgnored")
  private static void scheduleEviction(
      ScheduledExecutorService timer, PoolingAsyncClientConnectionManager connections) {
    timer.scheduleWithFixedDelay(
        () -> {
          connections.closeExpired();
          connections.closeIdle(IDLE_CONNECTION_LIMIT);
        },
        EVICTION_PERIOD_SECONDS,
        EVICTION_PERIOD_SECONDS,
        TimeUnit.SECONDS);
  }

  @Override
  public UpstreamCall send(UpstreamRequest request, UpstreamListener listener) {
    AsyncRequestBuilder builder =
        AsyncRequestBuilder.post(request.uri())
            .setEntity(AsyncEntityProducers.create(request.body(), ContentType.APPLICATION_JSON));
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      builder.addHeader(header.getKey(), header.getValue());
    }
    AsyncRequestProducer producer = builder.build();
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(
        RequestConfig.custom()
            .setResponseTimeout(Timeout.of(request.idleTimeout()))
            .setConnectionRequestTimeout(Timeout.of(request.idleTimeout()))
            .build());
    UpstreamExchange exchange =
        new UpstreamExchange(request, listener, options.maxEventBytes(), options.maxBodyBytes());
    listener.onSend(exchange);
    exchange.start(client.execute(producer, exchange, null, context, exchange.completion()));
    if (request.deadline() != null) {
      exchange.setDeadline(
          deadlines.schedule(
              exchange::deadlineReached, request.deadline().toMillis(), TimeUnit.MILLISECONDS));
    }
    return exchange;
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    // graceful: the reactor closes its selector itself instead of racing the channels it closes
    client.close(CloseMode.GRACEFUL);
    // wait for the reactor and timer threads to end, so that an undeployed WAR leaves none behind
    try {
      client.awaitShutdown(TimeValue.ofSeconds(5));
      deadlines.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
