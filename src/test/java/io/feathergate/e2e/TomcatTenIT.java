package io.feathergate.e2e;

import java.nio.file.Path;

/** The WAR in Tomcat 10.1.59, configured by a system property in CATALINA_OPTS. */
class TomcatTenIT extends ContainerChecks {
  @Override
  ServletContainer create(Path config) throws Exception {
    return new TomcatContainer(
        Path.of(System.getProperty("tomcat10.home")),
        System.getProperty("tomcat10.version", "10.1.59"),
        config,
        TomcatContainer.ConfigBy.SYSTEM_PROPERTY);
  }
}
