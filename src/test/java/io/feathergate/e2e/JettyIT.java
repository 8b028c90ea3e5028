package io.feathergate.e2e;

import java.nio.file.Path;

/**
 * The WAR in standalone Jetty 12.1 with ee10-deploy, configured by a context XML init parameter.
 */
class JettyIT extends ContainerChecks {
  @Override
  ServletContainer create(Path config) throws Exception {
    return new JettyContainer(
        Path.of(System.getProperty("jetty.home")),
        System.getProperty("jetty-home.version", "12.1.12"),
        config);
  }
}
