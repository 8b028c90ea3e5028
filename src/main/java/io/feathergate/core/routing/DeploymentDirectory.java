package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.DeploymentNames;
import io.feathergate.core.RouterSettings.Alias;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds the deployments behind a requested model name: an exact {@code model_name} first, then the
 * most specific wildcard group ({@code "*"}, {@code "openai/*"}). Immutable; built once per config.
 */
public final class DeploymentDirectory {
  private final Map<String, List<Deployment>> exactGroups = new LinkedHashMap<>();
  private final List<List<Deployment>> wildcardGroups = new ArrayList<>();
  private final Map<String, Alias> aliases;

  public DeploymentDirectory(List<Deployment> deployments) {
    this(deployments, Map.of());
  }

  /**
   * @param aliases {@code model_group_alias}: names that stand for a group; a real group's name is
   *     never shadowed by one
   */
  public DeploymentDirectory(List<Deployment> deployments, Map<String, Alias> aliases) {
    Map<String, List<Deployment>> wildcards = new LinkedHashMap<>();
    for (Deployment deployment : deployments) {
      Map<String, List<Deployment>> target = deployment.isWildcard() ? wildcards : exactGroups;
      target.computeIfAbsent(deployment.modelGroup(), k -> new ArrayList<>()).add(deployment);
    }
    exactGroups.replaceAll((name, group) -> List.copyOf(group));
    wildcards.values().stream()
        // the longest literal part is the most specific pattern
        .sorted(
            (a, b) -> literalLength(b.get(0).modelGroup()) - literalLength(a.get(0).modelGroup()))
        .forEach(group -> wildcardGroups.add(List.copyOf(group)));
    Map<String, Alias> usable = new LinkedHashMap<>(aliases);
    usable.keySet().removeAll(exactGroups.keySet());
    this.aliases = Map.copyOf(usable);
  }

  /**
   * The public model names, in config order, wildcard patterns excluded (as LiteLLM lists them).
   */
  public List<String> modelGroups() {
    return List.copyOf(exactGroups.keySet());
  }

  /** The aliases {@code /v1/models} lists beside the groups: those not marked hidden. */
  public List<String> visibleAliases() {
    List<String> visible = new ArrayList<>();
    aliases.forEach(
        (name, alias) -> {
          if (!alias.hidden() && groupName(alias.modelGroup()) != null) {
            visible.add(name);
          }
        });
    visible.sort(null);
    return visible;
  }

  /**
   * The deployments that serve a name a client may send: an exact group, an alias's group, or the
   * wildcard group that matches; an empty list when none does.
   */
  public List<Deployment> serving(String requestedModel) {
    String name = groupName(requestedModel);
    if (name == null) {
      return List.of();
    }
    List<Deployment> exact = exactGroups.get(name);
    if (exact != null) {
      return exact;
    }
    for (List<Deployment> wildcardGroup : wildcardGroups) {
      if (wildcardGroup.get(0).modelGroup().equals(name)) {
        return wildcardGroup;
      }
    }
    return List.of();
  }

  /** Every group, exact ones by name and wildcard ones by pattern, in config order. */
  List<List<Deployment>> allGroups() {
    List<List<Deployment>> all = new ArrayList<>(exactGroups.values());
    all.addAll(wildcardGroups);
    return all;
  }

  /**
   * The name of the group that serves a requested model: the exact group, the group an alias stands
   * for, or the most specific wildcard pattern that matches; null when none does.
   */
  public String groupName(String requestedModel) {
    if (exactGroups.containsKey(requestedModel)) {
      return requestedModel;
    }
    Alias alias = aliases.get(requestedModel);
    if (alias != null) {
      return exactGroups.containsKey(alias.modelGroup())
          ? alias.modelGroup()
          : wildcardGroupName(alias.modelGroup());
    }
    return wildcardGroupName(requestedModel);
  }

  /** The name the group's wildcard is matched against: an alias's target, else the name itself. */
  public String servedName(String requestedModel) {
    Alias alias = aliases.get(requestedModel);
    return alias == null || exactGroups.containsKey(requestedModel)
        ? requestedModel
        : alias.modelGroup();
  }

  /**
   * The model an answer is for, as the response cache keys it: an exact group's name (every
   * deployment and alias of the group shares entries); for a wildcard group, the pattern and the
   * name matched against it, since one pattern serves many models; null when no group serves it.
   */
  public String answeringModel(String requestedModel) {
    String group = groupName(requestedModel);
    return group == null || exactGroups.containsKey(group)
        ? group
        : group + " " + servedName(requestedModel);
  }

  private String wildcardGroupName(String name) {
    for (List<Deployment> wildcardGroup : wildcardGroups) {
      String pattern = wildcardGroup.get(0).modelGroup();
      if (DeploymentNames.matchWildcard(pattern, name) != null) {
        return pattern;
      }
    }
    return null;
  }

  /** The deployments of one exact model group, or an empty list. */
  public List<Deployment> group(String modelGroup) {
    return exactGroups.getOrDefault(modelGroup, List.of());
  }

  /**
   * Picks a deployment for a requested model name, spreading load at random across a group.
   *
   * @throws GatewayException 400 when no group serves the name
   */
  public Route route(String requestedModel, String apiRoute) {
    List<Deployment> group = exactGroups.get(requestedModel);
    if (group != null) {
      Deployment deployment = pick(group);
      return new Route(deployment, deployment.upstreamModel());
    }
    for (List<Deployment> wildcardGroup : wildcardGroups) {
      String matched =
          DeploymentNames.matchWildcard(wildcardGroup.get(0).modelGroup(), requestedModel);
      if (matched != null) {
        Deployment deployment = pick(wildcardGroup);
        return new Route(deployment, deployment.upstreamModel().replace("*", matched));
      }
    }
    throw GatewayException.unknownModel(apiRoute, requestedModel);
  }

  private static Deployment pick(List<Deployment> group) {
    return group.size() == 1
        ? group.get(0)
        : group.get(ThreadLocalRandom.current().nextInt(group.size()));
  }

  private static int literalLength(String pattern) {
    return pattern.length() - 1;
  }
}
