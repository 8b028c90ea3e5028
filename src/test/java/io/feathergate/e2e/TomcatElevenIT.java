package io.feathergate.e2e;

import java.nio.file.Path;

/** The WAR in Tomcat 11.0.24, configured by a JNDI environment entry. */
class TomcatElevenIT extends ContainerChecks {
  @Override
  ServletContainer create(Path config) throws Exception {
    return new TomcatContainer(
        Path.of(System.getProperty("tomcat11.home")),
        System.getProperty("tomcat11.version", "11.0.24"),
        config,
        TomcatContainer.ConfigBy.JNDI_ENVIRONMENT);
  }
}
