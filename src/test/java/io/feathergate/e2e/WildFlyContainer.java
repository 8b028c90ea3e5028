package io.feathergate.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * WildFly 39 (EE 10) from {@code wildfly-dist}, with a fresh copy of its {@code standalone} folder
 * as the server base, its ports shifted by an offset, and the WAR in the deployment scanner's
 * folder (context root {@code /feathergate}). The config is a system property.
 */
final class WildFlyContainer extends ServletContainer {
  private final String version;
  private final Path base;
  private final int offset;

  WildFlyContainer(Path home, String version, Path config) throws IOException {
    super(home, config, "wildfly-" + version);
    this.version = version;
    this.base =
        Path.of(
            System.getProperty("containers.dir", "target/containers"), "run", "wildfly-" + version);
    this.offset = portOffset();
  }

  @Override
  String displayName() {
    return "WildFly " + version;
  }

  @Override
  String version() {
    return version;
  }

  @Override
  String baseUrl() {
    return "http://127.0.0.1:" + (8080 + offset) + "/feathergate";
  }

  @Override
  void prepare() throws IOException {
    emptyDirectory(base);
    Path standalone = home.resolve("standalone");
    try (Stream<Path> files = Files.walk(standalone)) {
      for (Path source : files.toList()) {
        Path relative = standalone.relativize(source);
        if (relative.startsWith("data")
            || relative.startsWith("log")
            || relative.startsWith("tmp")) {
          continue;
        }
        Path target = base.resolve(relative.toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    deploy();
  }

  @Override
  List<String> command() {
    return List.of(
        "bash",
        home.resolve("bin/standalone.sh").toString(),
        "-b",
        "127.0.0.1",
        "-bmanagement",
        "127.0.0.1",
        "-Djboss.socket.binding.port-offset=" + offset,
        "-Djboss.server.base.dir=" + base,
        "-Dfeathergate.config=" + config);
  }

  @Override
  java.util.Map<String, String> environment() {
    // WildFly's own defaults, plus soft references cleared at every GC, so that the undeploy check
    // sees only strong leaks
    return java.util.Map.of(
        "JAVA_OPTS",
        "-Xms64m -Xmx512m -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=256m -XX:SoftRefLRUPolicyMSPerMB=0"
            + " -Djava.net.preferIPv4Stack=true"
            + " -Djboss.modules.system.pkgs=org.jboss.byteman -Djava.awt.headless=true");
  }

  @Override
  boolean unloadsClassesPromptly() {
    return false;
  }

  @Override
  void deploy() throws IOException {
    copyWar(base.resolve("deployments/feathergate.war"));
  }

  @Override
  void undeploy() throws IOException {
    Files.delete(base.resolve("deployments/feathergate.war"));
  }

  /** An offset that puts HTTP (8080) and management (9990) on free ports. */
  private static int portOffset() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int offset = 20_000 + (int) (Math.random() * 20_000);
      if (free(8080 + offset)
          && free(9990 + offset)
          && free(8443 + offset)
          && free(9993 + offset)) {
        return offset;
      }
    }
    throw new IOException("no free port offset for WildFly");
  }

  private static boolean free(int port) {
    try (ServerSocket socket =
        new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
