package io.feathergate.e2e;

import java.nio.file.Path;

/** The WAR in WildFly 39 (EE 10), configured by a system property. */
class WildFlyIT extends ContainerChecks {
  @Override
  ServletContainer create(Path config) throws Exception {
    return new WildFlyContainer(
        Path.of(System.getProperty("wildfly.home")),
        System.getProperty("wildfly.version", "39.0.1.Final"),
        config);
  }
}
