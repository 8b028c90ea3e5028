package io.feathergate.config;

import io.feathergate.config.EnvResolver.Resolved;
import io.feathergate.config.EnvResolver.UnsetVariable;
import io.feathergate.core.Deployment;
import io.feathergate.core.GatewayConfig;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.RedisSettings;
import io.feathergate.core.RouterSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a parsed YAML document into a {@link GatewayConfig}: checks the top-level keys, builds the
 * environment overlay, reads the settings sections, then the deployments that depend on them.
 */
final class ConfigParser {
  static final String ENVIRONMENT_VARIABLES = "environment_variables";

  private static final KeyRules TOP_LEVEL =
      new KeyRules()
          .accept(
              DeploymentParser.SECTION,
              GeneralSettingsParser.SECTION,
              LitellmSettingsParser.SECTION,
              RouterSettingsParser.SECTION,
              ENVIRONMENT_VARIABLES)
          .warn(
              "merging further files is not supported yet; their models and settings are not"
                  + " loaded",
              "include")
          .warn(
              "not supported yet; deployments that name a litellm_credential_name get no"
                  + " credentials from it",
              "credential_list")
          .warn(
              KeyRules.NOT_SUPPORTED,
              "guardrails",
              "callback_settings",
              "finetune_settings",
              "files_settings",
              "mcp_servers",
              "search_tools",
              "assistant_settings",
              "vector_store_registry",
              "prompts",
              "policies");

  private final Map<String, String> environment;
  private final Set<String> supportedProviders;
  private final boolean builtInDefault;

  /**
   * @param builtInDefault leave out entries whose variables are unset, without errors
   */
  ConfigParser(
      Map<String, String> environment, Set<String> supportedProviders, boolean builtInDefault) {
    this.environment = environment;
    this.supportedProviders = supportedProviders;
    this.builtInDefault = builtInDefault;
  }

  /**
   * @param document as {@link YamlReader} returns it; an empty document is an empty config
   * @throws ConfigException when the top level is not a mapping
   */
  GatewayConfig parse(YamlReader.Document document, String sourceName) {
    Object root = document.root();
    if (root != null && !(root instanceof Map<?, ?>)) {
      throw new ConfigException(
          sourceName
              + ": the top level must be a mapping of sections such as model_list, got "
              + Values.describe(root));
    }
    Problems problems = new Problems(sourceName);
    document.duplicateKeys().forEach(line -> problems.warn("", line));
    Map<String, Object> top = Values.mapping(root, "");
    TOP_LEVEL.check(top, "", problems);

    EnvResolver env =
        new EnvResolver(
            EnvResolver.overlay(
                section(top, ENVIRONMENT_VARIABLES, problems), ENVIRONMENT_VARIABLES, problems),
            environment);
    GatewaySettings settings =
        GeneralSettingsParser.parse(
            env.resolve(
                section(top, GeneralSettingsParser.SECTION, problems),
                GeneralSettingsParser.SECTION),
            env,
            problems);
    Map<String, Object> litellmSection =
        resolvedSection(top, LitellmSettingsParser.SECTION, env, problems);
    LitellmSettings litellmSettings = LitellmSettingsParser.parse(litellmSection, problems);
    Map<String, Object> routerSection =
        resolvedSection(top, RouterSettingsParser.SECTION, env, problems);
    TimeoutDefaults timeouts =
        RouterSettingsParser.parse(routerSection, litellmSettings.requestTimeout(), problems);
    RouterSettings router = new RouterConfigParser(problems).parse(routerSection, litellmSection);
    List<Deployment> deployments =
        new DeploymentParser(
                env,
                supportedProviders,
                timeouts,
                ProviderDefaults.read(env, problems),
                litellmSettings.dropParams(),
                builtInDefault,
                problems)
            .parseModelList(top.get(DeploymentParser.SECTION));
    RedisSettings redis =
        new RedisSettingsParser(env, problems).parse(routerSection, litellmSection);
    return new GatewayConfig(
        sourceName,
        deployments,
        settings.toBuilder()
            .prometheusMetrics(litellmSettings.prometheus())
            .redis(redis)
            .cache(new CacheSettingsParser(problems).parse(litellmSection, redis != null))
            .build(),
        RouterReferences.check(router, deployments, problems),
        problems.warnings(),
        problems.errors());
  }

  /** A settings section; one that is not a mapping is reported and read as empty. */
  private static Map<String, Object> section(
      Map<String, Object> top, String key, Problems problems) {
    Object value = top.get(key);
    if (value != null && !(value instanceof Map<?, ?>)) {
      problems.error(
          key, "expected a mapping, got " + Values.describe(value) + "; section ignored");
      return Map.of();
    }
    return Values.mapping(value, key);
  }

  /**
   * A section with its references resolved; an unset variable there leaves its key absent, with a
   * warning.
   */
  private static Map<String, Object> resolvedSection(
      Map<String, Object> top, String key, EnvResolver env, Problems problems) {
    Resolved resolved = env.resolve(section(top, key, problems), key);
    for (UnsetVariable variable : resolved.unset()) {
      problems.warn(variable.path(), variable.problem() + "; treated as absent");
    }
    return Values.mapping(resolved.value(), key);
  }
}
