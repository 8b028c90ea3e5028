package io.feathergate.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Apache Tomcat 10.1 or 11 from its distribution zip, with its own {@code CATALINA_BASE}. The
 * config is given either the way most Tomcat users do it ({@code CATALINA_OPTS
 * -Dfeathergate.config=...}), or as a JNDI environment entry ({@code
 * java:comp/env/feathergate/config}) in {@code conf/Catalina/localhost/ROOT.xml}.
 */
final class TomcatContainer extends ServletContainer {
  enum ConfigBy {
    SYSTEM_PROPERTY,
    JNDI_ENVIRONMENT
  }

  private final String version;
  private final ConfigBy configBy;
  private final Path base;

  /** The PostgreSQL behind the container's own pool, when configured by JNDI. */
  private PostgresServer postgres;

  TomcatContainer(Path home, String version, Path config, ConfigBy configBy) throws IOException {
    super(home, config, "tomcat-" + version);
    this.version = version;
    this.configBy = configBy;
    this.base =
        Path.of(
            System.getProperty("containers.dir", "target/containers"), "run", "tomcat-" + version);
  }

  @Override
  String displayName() {
    return "Tomcat " + version;
  }

  @Override
  String version() {
    return version;
  }

  @Override
  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  void prepare() throws IOException {
    if (configBy == ConfigBy.JNDI_ENVIRONMENT && postgres == null) {
      try {
        postgres = PostgresServer.start();
      } catch (Exception e) {
        throw new IOException("PostgreSQL for the container's pool did not start", e);
      }
    }
    emptyDirectory(base);
    for (String dir : new String[] {"logs", "temp", "webapps", "work", "conf/Catalina/localhost"}) {
      Files.createDirectories(base.resolve(dir));
    }
    try (Stream<Path> files = Files.list(home.resolve("conf"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
      }
    }
    Path serverXml = base.resolve("conf/server.xml");
    String server = Files.readString(serverXml);
    server = replaceOnce(server, "<Server port=\"8005\"", "<Server port=\"-1\"");
    server =
        replaceOnce(
            server,
            "<Connector port=\"8080\"",
            "<Connector address=\"127.0.0.1\" port=\"" + port + "\"");
    // check for added and removed WARs every second instead of every ten
    server =
        replaceOnce(
            server,
            "<Engine name=\"Catalina\"",
            "<Engine backgroundProcessorDelay=\"1\" name=\"Catalina\"");
    Files.writeString(serverXml, server);
    if (configBy == ConfigBy.JNDI_ENVIRONMENT) {
      // a container pool's driver lives with the container, not in the WAR
      Files.createDirectories(base.resolve("lib"));
      Path h2;
      try {
        h2 =
            Path.of(
                org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (java.net.URISyntaxException e) {
        throw new IOException(e);
      }
      Files.copy(h2, base.resolve("lib").resolve(h2.getFileName()));
    }
    deploy();
  }

  @Override
  PostgresServer containerPool() {
    return postgres;
  }

  @Override
  List<String> command() {
    return List.of("bash", home.resolve("bin/catalina.sh").toString(), "run");
  }

  @Override
  Map<String, String> environment() {
    // soft references cleared at every GC, so that the undeploy check sees only strong leaks
    String opts = "-Xmx256m -XX:SoftRefLRUPolicyMSPerMB=0";
    if (configBy == ConfigBy.SYSTEM_PROPERTY) {
      opts += " -Dfeathergate.config=" + config;
    }
    return Map.of(
        "CATALINA_HOME", home.toString(), "CATALINA_BASE", base.toString(), "CATALINA_OPTS", opts);
  }

  @Override
  void deploy() throws IOException {
    if (configBy == ConfigBy.JNDI_ENVIRONMENT) {
      // the config by JNDI, and the key database as the container's own pool (Tomcat's DBCP)
      Files.writeString(
          base.resolve("conf/Catalina/localhost/ROOT.xml"),
          """
          <Context>
            <Environment name="feathergate/config" value="%s" type="java.lang.String" override="false"/>
            <Resource name="jdbc/feathergate" auth="Container" type="javax.sql.DataSource"
                      driverClassName="org.postgresql.Driver" url="%s"
                      username="feathergate" password="" maxTotal="4"/>
          </Context>
          """
              .formatted(config, postgres.jdbcUrl()));
    }
    copyWar(base.resolve("webapps/ROOT.war"));
  }

  @Override
  void undeploy() throws IOException {
    Files.delete(base.resolve("webapps/ROOT.war"));
  }

  @Override
  public void close() throws Exception {
    try {
      super.close();
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  /** Tomcat checks every undeployed application for threads and ThreadLocals it left behind. */
  @Override
  List<String> leakWarnings() throws IOException {
    List<String> found = new ArrayList<>();
    List<Path> logs = new ArrayList<>(List.of(log));
    try (Stream<Path> files = Files.list(base.resolve("logs"))) {
      logs.addAll(files.toList());
    }
    for (Path file : logs) {
      firstLineContaining(
              file,
              "appears to have started a thread",
              "memory leak",
              "failed to stop it",
              "failed to deregister")
          .ifPresent(found::add);
    }
    return found;
  }
}
