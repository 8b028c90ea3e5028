package io.feathergate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.config.ConfigLoader;
import io.feathergate.core.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The files under {@code deploy/} say what the gateway needs, checked by reading them. */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String file) throws IOException {
    try (InputStream in = Files.newInputStream(DEPLOY.resolve(file))) {
      return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      current =
          step instanceof Integer index
              ? ((List<Object>) current).get(index)
              : ((Map<String, Object>) current).get(step);
    }
    return (T) current;
  }

  @Test
  void kubernetesDeploymentProbesTheHealthRoutesAndIsScraped() throws IOException {
    Map<String, Object> deployment = yaml("kubernetes/deployment.yaml");
    assertThat(deployment.get("kind")).isEqualTo("Deployment");
    Map<String, Object> pod = at(deployment, "spec", "template");
    Map<String, Object> container = at(pod, "spec", "containers", 0);
    assertThat((String) at(container, "livenessProbe", "httpGet", "path"))
        .isEqualTo("/health/liveliness");
    assertThat((String) at(container, "readinessProbe", "httpGet", "path"))
        .isEqualTo("/health/readiness");
    assertThat((Integer) at(container, "ports", 0, "containerPort")).isEqualTo(4000);
    Map<String, String> annotations = at(pod, "metadata", "annotations");
    assertThat(annotations)
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/path", "/metrics")
        .containsEntry("prometheus.io/port", "4000");
    assertThat((List<String>) at(container, "args"))
        .containsExactly("--config", "/etc/feathergate/config.yaml");
    assertThat((Integer) at(pod, "spec", "terminationGracePeriodSeconds")).isGreaterThan(10);
  }

  @Test
  void theServiceSelectsThePodsAndTheSecretHoldsEveryKeyTheConfigNames() throws IOException {
    Map<String, Object> deployment = yaml("kubernetes/deployment.yaml");
    Map<String, Object> service = yaml("kubernetes/service.yaml");
    Map<String, String> podLabels = at(deployment, "spec", "template", "metadata", "labels");
    Map<String, String> selector = at(service, "spec", "selector");
    assertThat(podLabels).containsAllEntriesOf(selector);
    assertThat((String) at(service, "spec", "ports", 0, "targetPort")).isEqualTo("http");

    Map<String, Object> secret = yaml("kubernetes/secret.yaml");
    Map<String, String> keys = at(secret, "stringData");
    String config = at(yaml("kubernetes/configmap.yaml"), "data", "config.yaml");
    List<String> referenced = new ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("os\\.environ/(\\w+)").matcher(config);
    while (m.find()) {
      referenced.add(m.group(1));
    }
    assertThat(referenced).isNotEmpty();
    assertThat(keys).containsKeys(referenced.toArray(String[]::new));
    String secretName =
        at(
            deployment,
            "spec",
            "template",
            "spec",
            "containers",
            0,
            "envFrom",
            0,
            "secretRef",
            "name");
    assertThat(secretName).isEqualTo(at(secret, "metadata", "name"));
  }

  @Test
  void theConfigMapHoldsAConfigTheGatewayLoadsWithoutErrors() throws IOException {
    String config = at(yaml("kubernetes/configmap.yaml"), "data", "config.yaml");
    GatewayConfig loaded =
        new ConfigLoader(
                Map.of("OPENAI_API_KEY", "sk-x", "LITELLM_MASTER_KEY", "sk-m"), Set.of("openai"))
            .load(config, "configmap.yaml");
    assertThat(loaded.errors()).isEmpty();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.deployments())
        .extracting(d -> d.modelGroup())
        .containsExactly("gpt-4o", "demo");
    assertThat(loaded.settings().masterKey()).isNotNull();
  }

  @Test
  void containerDescriptorsAreWellFormedAndNameTheConfig() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    for (String file : new String[] {"tomcat/ROOT.xml", "jetty/feathergate.xml"}) {
      Document document = factory.newDocumentBuilder().parse(DEPLOY.resolve(file).toFile());
      assertThat(document.getDocumentElement()).as(file).isNotNull();
      assertThat(Files.readString(DEPLOY.resolve(file))).as(file).contains("feathergate.config");
    }
    Path wildfly = Path.of("src/main/webapp/WEB-INF/jboss-deployment-structure.xml");
    String structure = Files.readString(wildfly);
    factory.newDocumentBuilder().parse(wildfly.toFile());
    assertThat(structure)
        .contains("<subsystem name=\"jaxrs\"/>")
        .contains("<module name=\"jdk.net\"/>");
  }

  @Test
  void systemdUnitRunsTheWarAndTreatsSigtermAsSuccess() throws IOException {
    String unit = Files.readString(DEPLOY.resolve("systemd/feathergate.service"));
    assertThat(unit)
        .contains("ExecStart=/usr/bin/java")
        .contains("-jar /opt/feathergate/feathergate.war");
    assertThat(unit)
        .contains("--config /etc/feathergate/config.yaml")
        .contains("SuccessExitStatus=143");
    assertThat(unit).contains("[Install]").contains("WantedBy=multi-user.target");
  }

  @Test
  void dockerfileRunsTheStandaloneWarOnAJavaSeventeenRuntime() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
    assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre");
    assertThat(dockerfile).contains("COPY target/feathergate.war");
    assertThat(dockerfile)
        .contains("\"--bind\", \"0.0.0.0:4000\"")
        .contains("EXPOSE 4000")
        .contains("USER feathergate");
  }
}
