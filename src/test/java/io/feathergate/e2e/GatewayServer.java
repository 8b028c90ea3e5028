package io.feathergate.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The gateway as a container runs it: embedded Jetty deploying {@code src/main/webapp} with its
 * real {@code web.xml} (listener, filter, servlets, Jersey), classes from the test classpath.
 */
final class GatewayServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final WebAppContext webapp;

  private GatewayServer(Server server, ServerConnector connector, WebAppContext webapp) {
    this.server = server;
    this.connector = connector;
    this.webapp = webapp;
  }

  /** Starts a gateway on an ephemeral loopback port with this config text. */
  static GatewayServer start(String configYaml) throws Exception {
    Path config = Files.createTempFile("feathergate-test-", ".yaml");
    Files.writeString(config, configYaml);
    config.toFile().deleteOnExit();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    // the standalone server's accept queue: Java's default of 50 overflows under the tests' bursts
    // of a thousand new connections, and the system then resets some of them
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setBaseResourceAsPath(Path.of("src/main/webapp"));
    webapp.setParentLoaderPriority(true);
    webapp.setInitParameter("feathergate.config", config.toString());
    webapp.setThrowUnavailableOnStartupException(true);
    server.setHandler(webapp);
    server.start();
    return new GatewayServer(server, connector, webapp);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  /** The webapp's context, for tests that swap one of its services. */
  jakarta.servlet.ServletContext servletContext() {
    return webapp.getServletContext();
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
