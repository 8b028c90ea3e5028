package io.feathergate.config;

import io.feathergate.core.Deployment;
import io.feathergate.core.DeploymentNames;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.RouterSettings.Alias;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that the model names the router settings refer to (fallback groups, alias targets) are
 * served by some deployment, and that no alias shadows a real group, which always wins. Each
 * problem is a warning naming its path: the config still loads.
 */
final class RouterReferences {
  private RouterReferences() {}

  /** Returns {@code router}, without the aliases that name a real group. */
  static RouterSettings check(
      RouterSettings router, List<Deployment> deployments, Problems problems) {
    Set<String> groups = new LinkedHashSet<>();
    for (Deployment deployment : deployments) {
      groups.add(deployment.modelGroup());
    }
    String section = RouterSettingsParser.SECTION;
    checkFallbacks(router.fallbacks(), groups, YamlPath.child(section, "fallbacks"), problems);
    checkFallbacks(
        router.contextWindowFallbacks(),
        groups,
        YamlPath.child(section, "context_window_fallbacks"),
        problems);
    checkFallbacks(
        router.contentPolicyFallbacks(),
        groups,
        YamlPath.child(section, "content_policy_fallbacks"),
        problems);
    List<String> defaults = router.defaultFallbacks();
    for (int i = 0; i < defaults.size(); i++) {
      warnIfUnserved(
          defaults.get(i),
          groups,
          YamlPath.index(YamlPath.child(section, "default_fallbacks"), i),
          problems);
    }
    Map<String, Alias> aliases = new LinkedHashMap<>();
    String aliasPath = YamlPath.child(section, "model_group_alias");
    router
        .aliases()
        .forEach(
            (alias, target) -> {
              if (groups.contains(alias)) {
                problems.warn(
                    YamlPath.child(aliasPath, alias),
                    "is the name of a model group, which it cannot replace; ignored");
                return;
              }
              warnIfUnserved(
                  target.modelGroup(), groups, YamlPath.child(aliasPath, alias), problems);
              aliases.put(alias, target);
            });
    return aliases.size() == router.aliases().size()
        ? router
        : router.toBuilder().aliases(aliases).build();
  }

  private static void checkFallbacks(
      Map<String, List<String>> fallbacks, Set<String> groups, String path, Problems problems) {
    fallbacks.forEach(
        (from, to) -> {
          for (int i = 0; i < to.size(); i++) {
            warnIfUnserved(
                to.get(i), groups, YamlPath.index(YamlPath.child(path, from), i), problems);
          }
        });
  }

  private static void warnIfUnserved(
      String name, Set<String> groups, String path, Problems problems) {
    // the message names the path, not the value: config values are never quoted back
    if (!served(name, groups)) {
      problems.warn(path, "names a model no deployment serves; skipped when tried");
    }
  }

  /** A group's name, or a name a wildcard group matches. */
  private static boolean served(String name, Set<String> groups) {
    if (groups.contains(name)) {
      return true;
    }
    for (String group : groups) {
      if (group.indexOf('*') >= 0 && DeploymentNames.matchWildcard(group, name) != null) {
        return true;
      }
    }
    return false;
  }
}
