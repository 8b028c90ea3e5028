package io.feathergate.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Eclipse Jetty 12.1 from {@code jetty-home}, with a {@code jetty.base} holding only the {@code
 * ee10-deploy} module (no annotation scanning) and hot deployment on. The config is an init
 * parameter in the context XML next to the WAR.
 */
final class JettyContainer extends ServletContainer {
  private final String version;
  private final Path base;

  JettyContainer(Path home, String version, Path config) throws IOException {
    super(home, config, "jetty-" + version);
    this.version = version;
    this.base =
        Path.of(
            System.getProperty("containers.dir", "target/containers"), "run", "jetty-" + version);
  }

  @Override
  String displayName() {
    return "Jetty " + version + " (ee10)";
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
  void prepare() throws Exception {
    emptyDirectory(base);
    Process setup =
        new ProcessBuilder(
                java(),
                "-jar",
                home.resolve("start.jar").toString(),
                "--add-modules=server,http,ee10-deploy")
            .directory(base.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!setup.waitFor(60, TimeUnit.SECONDS) || setup.exitValue() != 0) {
      throw new AssertionError("jetty base setup failed; see " + log);
    }
    deploy();
  }

  @Override
  List<String> command() {
    return List.of(
        java(),
        "-Xmx256m",
        // soft references cleared at every GC, so that the undeploy check sees only strong leaks
        "-XX:SoftRefLRUPolicyMSPerMB=0",
        "-jar",
        home.resolve("start.jar").toString(),
        "jetty.http.host=127.0.0.1",
        "jetty.http.port=" + port,
        "jetty.deploy.scanInterval=1");
  }

  @Override
  void deploy() throws IOException {
    Path webapps = base.resolve("webapps");
    Files.createDirectories(webapps);
    copyWar(webapps.resolve("feathergate.war"));
    Files.writeString(
        webapps.resolve("feathergate.xml"),
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
        <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
          <Set name="contextPath">/</Set>
          <Set name="war"><Property name="jetty.webapps" default="."/>/feathergate.war</Set>
          <Call name="setInitParameter">
            <Arg>feathergate.config</Arg>
            <Arg>%s</Arg>
          </Call>
        </Configure>
        """
            .formatted(config));
  }

  @Override
  void undeploy() throws IOException {
    Files.delete(base.resolve("webapps/feathergate.xml"));
    Files.delete(base.resolve("webapps/feathergate.war"));
  }

  @Override
  Path workingDirectory() {
    return base;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
