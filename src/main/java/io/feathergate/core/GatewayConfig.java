package io.feathergate.core;

import java.util.List;

/**
 * Everything the gateway runs on, read from one LiteLLM {@code config.yaml} (or the built-in
 * default).
 *
 * @param source where it came from: a file path, or a description of the built-in default
 * @param deployments the usable and unusable deployments, in file order
 * @param settings gateway-wide settings
 * @param router how model groups are routed, retried and fallen back from
 * @param warnings keys that were ignored or values that were adjusted, one line each, for the log
 * @param errors broken entries that were skipped, each naming the file and YAML path
 */
public record GatewayConfig(
    String source,
    List<Deployment> deployments,
    GatewaySettings settings,
    RouterSettings router,
    List<String> warnings,
    List<String> errors) {

  public GatewayConfig {
    deployments = List.copyOf(deployments);
    warnings = List.copyOf(warnings);
    errors = List.copyOf(errors);
  }
}
