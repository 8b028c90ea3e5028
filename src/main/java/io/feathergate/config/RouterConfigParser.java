package io.feathergate.config;

import io.feathergate.core.RouterSettings;
import io.feathergate.core.RouterSettings.Alias;
import io.feathergate.core.RouterSettings.ErrorClass;
import io.feathergate.core.RouterSettings.RetryPolicy;
import io.feathergate.core.RouterSettings.RoutingStrategy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The router's keys of {@code router_settings}, and the legacy ones of {@code litellm_settings}
 * ({@code num_retries}, the fallbacks, {@code allowed_fails}), which count only where {@code
 * router_settings} does not set the same key (LiteLLM's rule). A value that cannot be used is
 * reported with its path and left at its default.
 */
final class RouterConfigParser {
  private static final String ROUTER = RouterSettingsParser.SECTION;
  private static final String LITELLM = LitellmSettingsParser.SECTION;

  /** The keys {@code litellm_settings} may also set. */
  static final List<String> LEGACY_KEYS =
      List.of(
          "num_retries",
          "fallbacks",
          "context_window_fallbacks",
          "content_policy_fallbacks",
          "default_fallbacks",
          "allowed_fails");

  private final Problems problems;

  RouterConfigParser(Problems problems) {
    this.problems = problems;
  }

  RouterSettings parse(Map<String, Object> router, Map<String, Object> litellm) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> paths = new LinkedHashMap<>();
    for (String key : LEGACY_KEYS) {
      if (litellm.containsKey(key)) {
        values.put(key, litellm.get(key));
        paths.put(key, YamlPath.child(LITELLM, key));
      }
    }
    router.forEach(
        (key, value) -> {
          values.put(key, value);
          paths.put(key, YamlPath.child(ROUTER, key));
        });
    RouterSettings.Builder settings = RouterSettings.builder();
    strategy(values.get("routing_strategy"), settings);
    strategyArgs(values.get("routing_strategy_args"), settings);
    read(values, paths, "num_retries", (v, p) -> settings.numRetries(Values.nonNegativeInt(v, p)));
    read(
        values,
        paths,
        "retry_after",
        (v, p) -> settings.retryAfter(Values.nonNegativeSeconds(v, p)));
    read(values, paths, "retry_policy", (v, p) -> settings.retryPolicy(retryPolicy(v, p)));
    read(
        values,
        paths,
        "model_group_retry_policy",
        (v, p) -> {
          Map<String, RetryPolicy> policies = new LinkedHashMap<>();
          Values.mapping(v, p)
              .forEach(
                  (group, policy) ->
                      policies.put(group, retryPolicy(policy, YamlPath.child(p, group))));
          settings.groupRetryPolicies(policies);
        });
    read(values, paths, "fallbacks", (v, p) -> settings.fallbacks(fallbacks(v, p)));
    read(
        values,
        paths,
        "context_window_fallbacks",
        (v, p) -> settings.contextWindowFallbacks(fallbacks(v, p)));
    read(
        values,
        paths,
        "content_policy_fallbacks",
        (v, p) -> settings.contentPolicyFallbacks(fallbacks(v, p)));
    read(values, paths, "default_fallbacks", (v, p) -> settings.defaultFallbacks(names(v, p)));
    read(
        values,
        paths,
        "max_fallbacks",
        (v, p) -> settings.maxFallbacks(Values.nonNegativeInt(v, p)));
    read(
        values,
        paths,
        "allowed_fails",
        (v, p) -> settings.allowedFails(Values.nonNegativeInt(v, p)));
    read(
        values,
        paths,
        "allowed_fails_policy",
        (v, p) -> settings.allowedFailsPolicy(perErrorClass(v, p, "AllowedFails")));
    read(
        values,
        paths,
        "cooldown_time",
        (v, p) -> settings.cooldownTime(Values.nonNegativeSeconds(v, p)));
    read(
        values, paths, "disable_cooldowns", (v, p) -> settings.disableCooldowns(Values.bool(v, p)));
    read(values, paths, "model_group_alias", (v, p) -> settings.aliases(aliases(v, p)));
    read(
        values,
        paths,
        "enable_pre_call_checks",
        (v, p) -> settings.enablePreCallChecks(Values.bool(v, p)));
    read(
        values,
        paths,
        "default_max_parallel_requests",
        (v, p) -> settings.defaultMaxParallelRequests(Values.nonNegativeInt(v, p)));
    return settings.build();
  }

  @FunctionalInterface
  private interface Reader {
    void read(Object value, String path);
  }

  private void read(
      Map<String, Object> values, Map<String, String> paths, String key, Reader reader) {
    Object value = values.get(key);
    if (value == null) {
      return;
    }
    try {
      reader.read(value, paths.get(key));
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default");
    }
  }

  private void strategy(Object value, RouterSettings.Builder settings) {
    if (value == null) {
      return;
    }
    String path = YamlPath.child(ROUTER, "routing_strategy");
    String name;
    try {
      name = Values.text(value, path).strip().toLowerCase(Locale.ROOT);
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using simple-shuffle");
      return;
    }
    for (RoutingStrategy strategy : RoutingStrategy.values()) {
      if (strategy.configName().equals(name)) {
        settings.strategy(strategy);
        return;
      }
    }
    switch (name) {
      case "usage-based-routing" -> {
        settings.strategy(RoutingStrategy.USAGE_BASED);
        problems.warn(path, "read as usage-based-routing-v2, which replaces it");
      }
      case "cost-based-routing" ->
          problems.warn(
              path, "model prices are not known yet: deployments are picked as by simple-shuffle");
      default -> problems.warn(path, "is not a strategy this gateway knows: using simple-shuffle");
    }
  }

  private void strategyArgs(Object value, RouterSettings.Builder settings) {
    if (value == null) {
      return;
    }
    String path = YamlPath.child(ROUTER, "routing_strategy_args");
    try {
      Map<String, Object> args = Values.mapping(value, path);
      args.forEach(
          (key, arg) -> {
            String argPath = YamlPath.child(path, key);
            try {
              switch (key) {
                case "ttl" -> settings.latencyTtl(Values.seconds(arg, argPath));
                case "lowest_latency_buffer" ->
                    settings.lowestLatencyBuffer(Values.nonNegativeNumber(arg, argPath));
                default -> problems.warn(argPath, KeyRules.NOT_SUPPORTED);
              }
            } catch (InvalidValueException e) {
              problems.error(e.path(), e.problem() + "; using the default");
            }
          });
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the defaults");
    }
  }

  private RetryPolicy retryPolicy(Object value, String path) {
    return new RetryPolicy(perErrorClass(value, path, "Retries"));
  }

  /** {@code {BadRequestErrorRetries: 1, ...}}: each key an error class with {@code suffix}. */
  private Map<ErrorClass, Integer> perErrorClass(Object value, String path, String suffix) {
    Map<ErrorClass, Integer> byClass = new EnumMap<>(ErrorClass.class);
    Values.mapping(value, path)
        .forEach(
            (key, count) -> {
              String keyPath = YamlPath.child(path, key);
              ErrorClass errorClass = null;
              for (ErrorClass candidate : ErrorClass.values()) {
                if ((candidate.prefix() + suffix).equals(key)) {
                  errorClass = candidate;
                }
              }
              if (errorClass == null) {
                problems.warn(keyPath, "is not an error class this gateway knows; ignored");
                return;
              }
              try {
                byClass.put(errorClass, Values.nonNegativeInt(count, keyPath));
              } catch (InvalidValueException e) {
                problems.error(e.path(), e.problem() + "; ignored");
              }
            });
    return byClass;
  }

  /**
   * LiteLLM's {@code [{"gpt-4": ["gpt-3.5", "claude"]}, ...]}, or one mapping {@code {"gpt-4":
   * [...]}}; a single name may stand for a list of one. A group named twice keeps its first entry,
   * the one LiteLLM's lookup finds.
   */
  private static Map<String, List<String>> fallbacks(Object value, String path) {
    Map<String, List<String>> byGroup = new LinkedHashMap<>();
    if (value instanceof Map<?, ?>) {
      Values.mapping(value, path)
          .forEach((group, to) -> byGroup.put(group, names(to, YamlPath.child(path, group))));
      return byGroup;
    }
    List<Object> entries = Values.list(value, path);
    for (int i = 0; i < entries.size(); i++) {
      String entryPath = YamlPath.index(path, i);
      Values.mapping(entries.get(i), entryPath)
          .forEach(
              (group, to) ->
                  byGroup.putIfAbsent(group, names(to, YamlPath.child(entryPath, group))));
    }
    return byGroup;
  }

  /** A list of model names, or one name. */
  private static List<String> names(Object value, String path) {
    if (value instanceof String name) {
      return List.of(name.strip());
    }
    List<String> names = new ArrayList<>();
    List<Object> items = Values.list(value, path);
    for (int i = 0; i < items.size(); i++) {
      String name = Values.scalarText(items.get(i), YamlPath.index(path, i));
      if (name == null || name.isBlank()) {
        throw new InvalidValueException(YamlPath.index(path, i), "must be a model name");
      }
      names.add(name.strip());
    }
    return names;
  }

  /** {@code {alias: group}} or {@code {alias: {model: group, hidden: true}}}. */
  private static Map<String, Alias> aliases(Object value, String path) {
    Map<String, Alias> aliases = new LinkedHashMap<>();
    Values.mapping(value, path)
        .forEach(
            (alias, target) -> {
              String aliasPath = YamlPath.child(path, alias);
              if (target instanceof Map<?, ?>) {
                Map<String, Object> spec = Values.mapping(target, aliasPath);
                String group = Values.requiredText(spec, "model", aliasPath).strip();
                Object hidden = spec.get("hidden");
                aliases.put(
                    alias,
                    new Alias(
                        group,
                        hidden != null
                            && Values.bool(hidden, YamlPath.child(aliasPath, "hidden"))));
              } else {
                String group = Values.scalarText(target, aliasPath);
                if (group == null || group.isBlank()) {
                  throw new InvalidValueException(aliasPath, "must name a model group");
                }
                aliases.put(alias, new Alias(group.strip(), false));
              }
            });
    return aliases;
  }
}
