package io.feathergate.config;

import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Loads test configs the way the gateway does today: only the openai provider has an adapter. */
final class Configs {
  static final Set<String> OPENAI_ONLY = Set.of("openai");
  static final String SOURCE = "config.yaml";

  private Configs() {}

  static GatewayConfig load(String yaml) {
    return load(yaml, Map.of());
  }

  static GatewayConfig load(String yaml, Map<String, String> environment) {
    return new ConfigLoader(environment, OPENAI_ONLY).load(yaml, SOURCE);
  }

  /** A file under {@code src/test/resources/config/}, named in messages by its file name. */
  static GatewayConfig loadResource(String name, Map<String, String> environment) {
    try (InputStream in = Configs.class.getResourceAsStream("/config/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new ConfigLoader(environment, OPENAI_ONLY).load(yaml, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Deployment only(GatewayConfig config) {
    if (config.deployments().size() != 1) {
      throw new AssertionError(
          "expected one deployment, got "
              + config.deployments().size()
              + "; errors: "
              + config.errors());
    }
    return config.deployments().get(0);
  }

  static Deployment group(GatewayConfig config, String modelGroup) {
    return config.deployments().stream()
        .filter(d -> d.modelGroup().equals(modelGroup))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no deployment of " + modelGroup + "; errors: " + config.errors()));
  }

  /** Every warning and error line. */
  static List<String> messages(GatewayConfig config) {
    List<String> messages = new ArrayList<>(config.warnings());
    messages.addAll(config.errors());
    return messages;
  }
}
