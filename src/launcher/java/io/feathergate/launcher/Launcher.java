package io.feathergate.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code Main-Class} of {@code feathergate.war}. It sits at the WAR's root, outside {@code
 * WEB-INF}, so containers never load it; it uses only the JDK because nothing else is reachable
 * from there. It answers {@code --help} and {@code --version} itself, and otherwise unpacks the
 * embedded Jetty kept under {@code META-INF/launcher/} and hands the WAR to it.
 */
public final class Launcher {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  private static final String SERVER_CLASS = "io.feathergate.standalone.StandaloneServer";

  private Launcher() {}

  public static void main(String[] args) {
    LaunchOptions options;
    try {
      options = LaunchOptions.parse(args);
    } catch (LaunchOptions.UsageException e) {
      System.err.println("feathergate: " + e.getMessage());
      System.err.println(LaunchOptions.USAGE);
      System.exit(EXIT_USAGE);
      return;
    }
    switch (options.action()) {
      case HELP -> System.out.println(LaunchOptions.USAGE);
      case VERSION -> System.out.println("FeatherGate " + version());
      case RUN -> {
        int status = run(options);
        if (status != 0) {
          System.exit(status);
        }
      }
      // exits even if a library left a thread running: a check must end
      case CHECK -> System.exit(run(options));
    }
  }

  static String version() {
    String version = Launcher.class.getPackage().getImplementationVersion();
    return version != null ? version : "(unknown version: not run from the WAR)";
  }

  private static int run(LaunchOptions options) {
    if (options.config() != null && !Files.isReadable(options.config())) {
      System.err.println("feathergate: cannot read config file " + options.config());
      return EXIT_USAGE;
    }
    if (options.dataDir() != null) {
      // read by the gateway when it first needs its embedded key database
      System.setProperty("feathergate.data.dir", options.dataDir().toString());
    }
    tuneHeap();
    if (options.action() == LaunchOptions.Action.RUN) {
      NativeHeapTrim.start();
    }
    try {
      Path war = ownWar();
      Path cache = LauncherCache.prepare(war, Path.of(System.getProperty("java.io.tmpdir")));
      ClassLoader loader = serverClassLoader(cache);
      Thread.currentThread().setContextClassLoader(loader);
      Method run =
          Class.forName(SERVER_CLASS, true, loader)
              .getMethod(
                  "run",
                  Path.class,
                  Path.class,
                  String.class,
                  int.class,
                  Path.class,
                  boolean.class);
      return (Integer)
          run.invoke(
              null,
              war,
              cache,
              options.host(),
              options.port(),
              options.config(),
              options.action() == LaunchOptions.Action.CHECK);
    } catch (InvocationTargetException e) {
      System.err.println("feathergate: the server failed: " + e.getCause());
      e.getCause().printStackTrace();
      return EXIT_FAILURE;
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      System.err.println("feathergate: cannot start the embedded server: " + e);
      return EXIT_FAILURE;
    }
  }

  /** See {@link HeapDefaults}. */
  private static void tuneHeap() {
    try {
      boolean g1 =
          ManagementFactory.getGarbageCollectorMXBeans().stream()
              .anyMatch(gc -> gc.getName().startsWith("G1 "));
      HeapDefaults.apply(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class), g1);
    } catch (LinkageError | RuntimeException e) {
      // a runtime image without the jdk.management module: the gateway runs as well, only with
      // the JVM's own heap sizing
    }
  }

  /** The WAR this class was loaded from: {@code java -jar} puts exactly that file on the path. */
  private static Path ownWar() throws IOException {
    CodeSource source = Launcher.class.getProtectionDomain().getCodeSource();
    try {
      Path path = source == null ? null : Path.of(source.getLocation().toURI());
      if (path == null || !Files.isRegularFile(path)) {
        throw new IOException("run it as java -jar feathergate.war (loaded from " + path + ")");
      }
      return path;
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the WAR: " + source.getLocation(), e);
    }
  }

  /**
   * Jetty and the standalone classes, isolated from the WAR on the application class path: the
   * parent is the platform loader, so only the JDK is shared.
   */
  private static ClassLoader serverClassLoader(Path cache) throws IOException {
    List<URL> urls = new ArrayList<>();
    urls.add(toUrl(cache.resolve("classes")));
    try (Stream<Path> jars = Files.list(cache.resolve("lib"))) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        urls.add(toUrl(jar));
      }
    }
    return new URLClassLoader(
        "feathergate-standalone", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  private static URL toUrl(Path path) throws MalformedURLException {
    return path.toUri().toURL();
  }
}
