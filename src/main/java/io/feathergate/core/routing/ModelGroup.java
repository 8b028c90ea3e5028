package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.RoutingHints;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The deployments of one model group, in their {@code order} tiers (lowest first; deployments with
 * no order in a last tier of their own). Built once per config.
 */
final class ModelGroup {
  final String name;
  final Member[] members;
  final Member[][] tiers;

  ModelGroup(
      String name, List<Deployment> deployments, DeploymentCounters counters, int defaultParallel) {
    this.name = name;
    this.members = new Member[deployments.size()];
    TreeMap<Integer, List<Member>> byOrder = new TreeMap<>();
    for (int i = 0; i < members.length; i++) {
      Deployment deployment = deployments.get(i);
      members[i] =
          new Member(deployment, counters.counter(deployment), i, members.length, defaultParallel);
      int order = deployment.routing().order();
      byOrder
          .computeIfAbsent(order > 0 ? order : Integer.MAX_VALUE, k -> new ArrayList<>())
          .add(members[i]);
    }
    this.tiers = new Member[byOrder.size()][];
    int tier = 0;
    for (List<Member> inTier : byOrder.values()) {
      tiers[tier] = inTier.toArray(Member[]::new);
      assignShuffleWeights(tiers[tier]);
      tier++;
    }
  }

  int size() {
    return members.length;
  }

  /**
   * {@code simple-shuffle}'s weights, as LiteLLM takes them: {@code weight} when a deployment of
   * the tier sets one (the others then count 1), else {@code rpm} when each sets it, else {@code
   * tpm} when each sets it, else equal shares.
   */
  private static void assignShuffleWeights(Member[] tier) {
    boolean anyWeight = false;
    boolean allRpm = true;
    boolean allTpm = true;
    for (Member member : tier) {
      RoutingHints hints = member.deployment.routing();
      anyWeight |= hints.weight() > 0;
      allRpm &= hints.rpm() > 0;
      allTpm &= hints.tpm() > 0;
    }
    for (Member member : tier) {
      RoutingHints hints = member.deployment.routing();
      if (anyWeight) {
        member.shuffleWeight = hints.weight() > 0 ? hints.weight() : 1;
      } else if (allRpm) {
        member.shuffleWeight = hints.rpm();
      } else if (allTpm) {
        member.shuffleWeight = hints.tpm();
      } else {
        member.shuffleWeight = 1;
      }
    }
  }
}
