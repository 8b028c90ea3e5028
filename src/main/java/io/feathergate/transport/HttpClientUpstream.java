package io.feathergate.transport;

import io.feathergate.core.spi.UpstreamCall;
import io.feathergate.core.spi.UpstreamClient;
import io.feathergate.core.spi.UpstreamListener;
import io.feathergate.core.spi.UpstreamRequest;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.HttpProcessors;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http.protocol.RequestUserAgent;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2MultiplexingRequester;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2MultiplexingRequesterBootstrap;
import org.apache.hc.core5.http2.protocol.H2RequestConformance;
import org.apache.hc.core5.http2.protocol.H2RequestConnControl;
import org.apache.hc.core5.http2.protocol.H2RequestContent;
import org.apache.hc.core5.http2.protocol.H2RequestTargetHost;
import org.apache.hc.core5.http2.protocol.H2ResponseConformance;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.apache.hc.core5.util.VersionInfo;

/**
 * The upstream transport. I/O runs on a few reactor threads; no thread waits for an upstream.
 *
 * <p>HTTP/1.1 calls go through an Apache HttpClient 5 async client with a connection pool, one
 * connection per call in flight. HTTP/2 calls go through HttpCore's multiplexing requester, which
 * carries them as streams of one connection per upstream (ALPN over TLS, prior knowledge over plain
 * http): a call that ends early resets its stream and leaves the connection to the others, where
 * HttpClient's shared-connection pool would close it. A deployment's calls beyond its HTTP/2 stream
 * limit take HTTP/1.1 instead of queueing inside the connection.
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

  private static final int CONNECTION_BUFFER_BYTES = 8 * 1024;

  /** How late a deadline or an HTTP/2 stream's idle timeout may be noticed. */
  private static final long TIMER_SWEEP_MILLIS = 250;

  private final CloseableHttpAsyncClient http1;
  private final PoolingAsyncClientConnectionManager http1Connections;
  private final H2MultiplexingRequester http2;
  private final ScheduledExecutorService timer;
  private final Options options;
  private final Http2Streams http2Streams = new Http2Streams();
  private final ExchangeTimers timers = new ExchangeTimers();
  private final GoAwayLog goAways = new GoAwayLog();

  public HttpClientUpstream(Options options) {
    this.options = options;
    TlsStrategy tls = new LazyTlsStrategy();
    this.http1Connections =
        PoolingAsyncClientConnectionManagerBuilder.create()
            .setTlsStrategy(tls)
            .setMaxConnTotal(options.maxConnections())
            .setMaxConnPerRoute(options.maxConnections())
            // lax: no global lock on the pool, so thousands of concurrent leases do not contend
            .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
            .setDefaultTlsConfig(
                TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(options.connectTimeout())
                    .setTimeToLive(TimeValue.ofMinutes(5))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build())
            .build();
    this.http1 =
        HttpAsyncClients.custom()
            .setConnectionManager(new FreshConnectionMarker(http1Connections))
            .setIOReactorConfig(reactorConfig(options))
            // each connection holds three buffers of this size for as long as it lives, idle in
            // the pool too: HttpCore's 32 KB default made 10,000 connections cost about 1 GB
            .setHttp1Config(Http1Config.custom().setBufferSize(CONNECTION_BUFFER_BYTES).build())
            // the gateway decides about retries itself: a retried stream could be sent twice
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            // no evictIdleConnections: its thread is only interrupted on close, not awaited, so a
            // container could see it alive after undeploy; the timer below evicts instead
            .setIoReactorExceptionCallback(HttpClientUpstream::reactorFailed)
            .build();
    this.http1.start();
    this.http2 =
        H2MultiplexingRequesterBootstrap.bootstrap()
            .setIOReactorConfig(reactorConfig(options))
            .setH2Config(H2Config.custom().setPushEnabled(false).build())
            // the same certificate and host name checks as the HTTP/1.1 client
            .setTlsStrategy(tls)
            .setStrictALPNHandshake(true)
            .setExceptionCallback(HttpClientUpstream::reactorFailed)
            .setStreamListener(goAways)
            .setIOSessionListener(goAways)
            .setIOSessionDecorator(goAways)
            .setHttpProcessor(http2Processor())
            .create();
    this.http2.start();
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = Executors.defaultThreadFactory().newThread(runnable);
              thread.setName("feathergate-upstream-timers");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    this.timer = scheduler;
    scheduleHousekeeping(scheduler);
  }

  private static IOReactorConfig reactorConfig(Options options) {
    return IOReactorConfig.custom()
        .setIoThreadCount(options.ioThreads())
        .setTcpNoDelay(true)
        .build();
  }

  /** One line per reactor failure instead of HttpCore's default stack trace. */
  private static void reactorFailed(Exception failure) {
    LOG.warning(() -> "upstream I/O reactor: " + failure.getClass().getSimpleName());
  }

  /**
   * HttpCore's HTTP/2 client protocol without {@code Expect: 100-continue}: by default every call
   * with a body waited for the upstream's 100 before sending it, a round trip more per call (and a
   * call that hangs on a server that never sends 100).
   */
  private static HttpProcessor http2Processor() {
    return HttpProcessorBuilder.create()
        .addAll(H2ResponseConformance.INSTANCE)
        .addAll(
            H2RequestConformance.INSTANCE,
            H2RequestTargetHost.INSTANCE,
            H2RequestContent.INSTANCE,
            H2RequestConnControl.INSTANCE,
            new RequestUserAgent(
                VersionInfo.getSoftwareInfo(
                    "Apache-HttpCore", "org.apache.hc.core5", HttpProcessors.class)))
        .build();
  }

  // the tasks run until close() stops the timer: there is no result to wait for
  @SuppressWarnings("FutureReturnValueIgnored")
  private void scheduleHousekeeping(ScheduledExecutorService scheduler) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          http1Connections.closeExpired();
          http1Connections.closeIdle(IDLE_CONNECTION_LIMIT);
          http2.closeIdle(IDLE_CONNECTION_LIMIT);
        },
        EVICTION_PERIOD_SECONDS,
        EVICTION_PERIOD_SECONDS,
        TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(
        timers::sweep, TIMER_SWEEP_MILLIS, TIMER_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public UpstreamCall send(UpstreamRequest request, UpstreamListener listener) {
    ContentType contentType = ContentType.APPLICATION_JSON;
    AsyncRequestBuilder builder = AsyncRequestBuilder.post(request.uri());
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      if (header.getKey().equalsIgnoreCase("content-type")) {
        // the body's type travels with the body (a token request posts a form)
        contentType = ContentType.parseLenient(header.getValue());
      } else {
        builder.addHeader(header.getKey(), header.getValue());
      }
    }
    builder.setEntity(
        request.parts() != null
            ? new PartsEntityProducer(request.parts())
            : AsyncEntityProducers.create(request.body(), contentType));
    UpstreamExchange exchange =
        new UpstreamExchange(
            request, listener, options.maxEventBytes(), options.maxBodyBytes(), goAways);
    AsyncRequestProducer producer = builder.build();
    AtomicInteger streams = http2Streams.tryAdmit(request);
    if (streams != null) {
      exchange.multiplexed();
    }
    if (streams != null || request.deadline() != null) {
      timers.watch(exchange);
      exchange.whenFinished(
          () -> {
            timers.forget(exchange);
            if (streams != null) {
              streams.decrementAndGet();
            }
          });
    }
    listener.onSend(exchange);
    Future<Void> future;
    if (exchange.isMultiplexed()) {
      // the connection, once chosen, names itself in this context: its GOAWAY is looked up by it
      HttpCoreContext http2Context = HttpCoreContext.create();
      exchange.onHttp2(http2Context);
      future =
          http2.execute(
              producer, exchange, options.connectTimeout(), http2Context, exchange.completion());
    } else {
      HttpClientContext context = HttpClientContext.create();
      exchange.onHttp1(context);
      context.setRequestConfig(
          RequestConfig.custom()
              .setResponseTimeout(Timeout.of(request.idleTimeout()))
              .setConnectionRequestTimeout(Timeout.of(request.idleTimeout()))
              .build());
      future =
          http1.execute(
              new SendTracking(producer, exchange::requestSent),
              exchange,
              null,
              context,
              exchange.completion());
    }
    exchange.start(future);
    return exchange;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    // graceful: the reactor closes its selector itself instead of racing the channels it closes
    http1.close(CloseMode.GRACEFUL);
    http2.close(CloseMode.GRACEFUL);
    // wait for the reactor and timer threads to end, so that an undeployed WAR leaves none behind
    try {
      http1.awaitShutdown(TimeValue.ofSeconds(5));
      http2.awaitShutdown(TimeValue.ofSeconds(5));
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
