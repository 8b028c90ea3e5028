package io.feathergate.standalone;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Runs feathergate.war on an embedded Jetty 12 (ee10): the same file, {@code web.xml}, listener and
 * servlets a container would run, so the two ways of running the gateway cannot drift apart. Called
 * reflectively by {@code io.feathergate.launcher.Launcher} from its own class loader.
 */
public final class StandaloneServer {
  /** {@code FeatherGateListener.BIND_HOST_PARAMETER}; that class lives in the webapp's loader. */
  static final String BIND_HOST_PARAMETER = "feathergate.bindHost";

  /**
   * {@code ApiServices.ATTRIBUTE}: the servlet context attribute the gateway sets once it has
   * started; a config it could not load leaves it unset (the server then answers 503s).
   */
  static final String STARTED_ATTRIBUTE = "io.feathergate.api.ApiServices";

  /** {@code ConfigLocator.CLI_PROPERTY}: {@code --config} beats every other config source. */
  static final String CLI_CONFIG_PROPERTY = "feathergate.cli.config";

  /** How long in-flight requests may take to finish after SIGTERM before they are cut off. */
  static final long STOP_GRACE_MILLIS = 10_000;

  private static final int EXIT_FAILURE = 1;

  private static final int MIN_THREADS = 16;

  /** MetaInfConfiguration's attribute: which WEB-INF/lib jars to scan; none. */
  private static final String WEB_INF_JAR_PATTERN =
      "org.eclipse.jetty.server.webapp.WebInfIncludeJarPattern";

  private static final int THREADS_PER_CORE = 8;

  /**
   * Connections the system may hold for the acceptor (Linux caps it at net.core.somaxconn). Jetty
   * leaves it to Java, whose default is 50: a test's burst of a thousand new clients overflowed
   * that queue, and a client whose handshake the system had dropped was reset after sending its
   * request.
   */
  private static final int ACCEPT_QUEUE = 4096;

  /** Jetty's {@code MemoryUtils}: how many object references fill a CPU cache line. */
  private static final String REFERENCES_PER_CACHE_LINE =
      "org.eclipse.jetty.util.referencesPerCacheLine";

  /** Jetty's {@code MemoryUtils}: a cache line's size, 64 bytes unless set. */
  private static final String CACHE_LINE_BYTES = "org.eclipse.jetty.util.cacheLineBytes";

  private static final int DEFAULT_CACHE_LINE_BYTES = 64;

  private StandaloneServer() {}

  /**
   * Starts the server and blocks until it stops.
   *
   * @param war the WAR to deploy (the one the launcher came from)
   * @param cache the launcher's private cache directory, also home of Jetty's work directory
   * @param host the address to listen on
   * @param port the port to listen on; 0 picks a free one
   * @param config the {@code --config} file (absolute), or null
   * @param check stop as soon as the server has started ({@code --check})
   * @return the process exit status: 0 once stopped, 1 if the server could not start
   */
  public static int run(Path war, Path cache, String host, int port, Path config, boolean check)
      throws Exception {
    ConsoleLogging.configure();
    Logger log = Logger.getLogger("io.feathergate.standalone");
    HotSpotDiagnosticMXBean vm = hotSpot();
    referencesPerCacheLine(vm);
    if (config != null) {
      System.setProperty(CLI_CONFIG_PROPERTY, config.toString());
    }

    Server server = new Server(threadPool(), null, bufferPool(vm));
    HttpConfiguration http = new HttpConfiguration();
    // no "Server: Jetty(12...)" on every response: the software and its version are nobody's
    // business, and a version invites looking up its known flaws
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    server.addConnector(connector);
    WebAppContext webapp = webapp(war, cache, host);
    server.setHandler(new GracefulHandler(webapp));
    // what Jetty rejects before the gateway sees it still gets an OpenAI error body
    server.setErrorHandler(new JsonErrorHandler());
    // SIGTERM/SIGINT: stop accepting, let in-flight requests finish within the grace, then exit
    server.setStopTimeout(STOP_GRACE_MILLIS);
    server.setStopAtShutdown(true);

    // Bind before deploying: a busy port then fails in milliseconds, before the gateway starts
    // its HTTP client and threads for nothing.
    try {
      connector.open();
    } catch (IOException e) {
      log.severe("FeatherGate cannot listen on " + hostPort(host, port) + ": " + reason(e));
      return EXIT_FAILURE;
    }

    try {
      server.start();
    } catch (Exception e) {
      // Jetty has already logged the cause with its stack trace: this line is the summary
      log.severe("FeatherGate failed to start: " + e);
      try {
        server.stop();
      } catch (Exception ignored) {
        // exiting anyway: the start failure above is what the operator needs to see
      }
      return EXIT_FAILURE;
    }
    log.info("FeatherGate listening on http://" + hostPort(host, connector.getLocalPort()));
    if (check) {
      // the server is up either way; the gateway itself may have refused its config (logged).
      // Read through Jetty's context, which holds the servlet context's attributes.
      boolean started = webapp.getContext().getAttribute(STARTED_ATTRIBUTE) != null;
      if (started) {
        log.info("FeatherGate started: check passed, stopping");
      } else {
        log.severe("FeatherGate did not start (see above): check failed, stopping");
      }
      server.stop();
      return started ? 0 : EXIT_FAILURE;
    }
    server.join();
    return 0;
  }

  /**
   * A fixed number of request threads. The gateway never blocks one on an upstream (requests are
   * asynchronous and I/O is non-blocking), so more threads only add context switches; Jetty's
   * default pool grows to 200 under a burst of new connections and keeps them for a minute.
   */
  private static QueuedThreadPool threadPool() {
    int threads =
        Math.max(MIN_THREADS, THREADS_PER_CORE * Runtime.getRuntime().availableProcessors());
    QueuedThreadPool pool = new QueuedThreadPool(threads, threads);
    return pool;
  }

  /**
   * Jetty's buffer pool, keeping at most an eighth of the direct memory limit in idle buffers.
   * Jetty's default is an eighth of the heap's maximum, which is the direct limit only while {@code
   * -XX:MaxDirectMemorySize} is unset; under a smaller direct limit the idle buffers left by a
   * burst of streams could fill it, and the gateway, which refuses new requests while direct memory
   * in use is over 90 % of its limit, would go on refusing them.
   */
  private static ArrayByteBufferPool bufferPool(HotSpotDiagnosticMXBean vm) {
    return new ArrayByteBufferPool(0, -1, -1, -1, 0, maxDirectMemory(vm) / 8);
  }

  /**
   * The JVM's diagnostic bean, read directly rather than through the platform MBean server, whose
   * first use registers every platform bean (tens of milliseconds of a start); null on a JVM
   * without it.
   */
  private static HotSpotDiagnosticMXBean hotSpot() {
    try {
      return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }

  /**
   * {@code -XX:MaxDirectMemorySize}, or the heap's maximum (the JVM's default) when unset or
   * unreadable; the webapp's {@code MemoryGuard}, whose class this loader cannot see, reads the
   * same option.
   */
  private static long maxDirectMemory(HotSpotDiagnosticMXBean vm) {
    long heapMax = Runtime.getRuntime().maxMemory();
    String value = option(vm, "MaxDirectMemorySize");
    long limit = value == null ? 0 : Long.parseLong(value);
    return limit > 0 ? limit : heapMax;
  }

  /**
   * Gives Jetty the figure its {@code MemoryUtils} would otherwise compute by asking the platform
   * MBean server whether object references are compressed, which made that server start (and
   * register every platform bean) on the way to the first request: the same value, from the
   * diagnostic bean. A value set on the command line is left alone.
   */
  private static void referencesPerCacheLine(HotSpotDiagnosticMXBean vm) {
    String compressed = option(vm, "UseCompressedOops");
    if (System.getProperty(REFERENCES_PER_CACHE_LINE) != null || compressed == null) {
      return;
    }
    int lineBytes = Integer.getInteger(CACHE_LINE_BYTES, DEFAULT_CACHE_LINE_BYTES);
    int referenceBytes = Boolean.parseBoolean(compressed) ? Integer.BYTES : Long.BYTES;
    System.setProperty(REFERENCES_PER_CACHE_LINE, Integer.toString(lineBytes / referenceBytes));
  }

  /** A HotSpot option's value, or null when there is no such bean or option. */
  private static String option(HotSpotDiagnosticMXBean vm, String name) {
    if (vm == null) {
      return null;
    }
    try {
      return vm.getVMOption(name).getValue();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static WebAppContext webapp(Path war, Path cache, String host) throws IOException {
    // no session or security handler: the gateway keeps no sessions and web.xml declares no
    // constraints, so each request skips both lookups
    WebAppContext context =
        new WebAppContext("/", null, null, null, null, ServletContextHandler.NO_SESSIONS);
    // the launcher unpacked the webapp into its cache: run it from there rather than have Jetty
    // unpack the WAR again on every start
    Path unpacked = cache.resolve("webapp");
    context.setWar(
        Files.isRegularFile(unpacked.resolve("WEB-INF/web.xml"))
            ? unpacked.toString()
            : war.toString());
    WorkDirectory work = WorkDirectory.claim(cache);
    context.setTempDirectory(work.path().toFile());
    context.setTempDirectoryPersistent(work.persistent());
    context.setInitParameter(BIND_HOST_PARAMETER, host);
    // web.xml declares every servlet (metadata-complete), so Jetty's webdefault (default and JSP
    // servlets, and the TRACE constraint that needs a security handler) and the scan of every jar
    // for fragments and resources only cost start-up time
    context.setDefaultsDescriptor(null);
    context.setAttribute(WEB_INF_JAR_PATTERN, "^$");
    // A webapp that cannot start makes the process exit non-zero rather than answer 503 forever:
    // a service manager or orchestrator can see and restart a dead process.
    context.setThrowUnavailableOnStartupException(true);
    context.setErrorHandler(new EveryMethodErrorPages());
    return context;
  }

  /**
   * Jetty's error-page handler, which on its own sends web.xml's error page only for GET, POST and
   * HEAD and an empty body for every other method; here the gateway's JSON error page answers a
   * {@code PUT} or {@code DELETE} as well.
   */
  static final class EveryMethodErrorPages extends ErrorPageErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The root cause's message, e.g. "Address already in use", without Jetty's wrapping. */
  private static String reason(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof BindException)) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}
