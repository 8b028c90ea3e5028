package io.feathergate.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.Deployment;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.Route;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeploymentDirectoryTest {

  static Deployment deployment(String id, String group, String upstreamModel) {
    return Deployment.builder(id, group, "openai", upstreamModel).build();
  }

  @Test
  void exactNameBeatsWildcards() {
    DeploymentDirectory directory =
        new DeploymentDirectory(
            List.of(
                deployment("any", "*", "*"), deployment("exact", "gpt-4o", "gpt-4o-2024-08-06")));
    Route route = directory.route("gpt-4o", "/chat/completions");
    assertThat(route.deployment().id()).isEqualTo("exact");
    assertThat(route.upstreamModel()).isEqualTo("gpt-4o-2024-08-06");
  }

  @Test
  void mostSpecificWildcardWinsAndFillsInTheUpstreamModel() {
    DeploymentDirectory directory =
        new DeploymentDirectory(
            List.of(deployment("any", "*", "*"), deployment("oa", "openai/*", "*")));
    Route route = directory.route("openai/gpt-4.1-mini", "/chat/completions");
    assertThat(route.deployment().id()).isEqualTo("oa");
    assertThat(route.upstreamModel()).isEqualTo("gpt-4.1-mini");
    assertThat(directory.route("mistral-large", "/chat/completions").deployment().id())
        .isEqualTo("any");
  }

  @Test
  void listsExactGroupsInConfigOrderWithoutWildcards() {
    DeploymentDirectory directory =
        new DeploymentDirectory(
            List.of(
                deployment("b1", "b", "m"),
                deployment("w", "*", "*"),
                deployment("a1", "a", "m"),
                deployment("b2", "b", "m")));
    assertThat(directory.modelGroups()).containsExactly("b", "a");
    assertThat(directory.group("b")).extracting(Deployment::id).containsExactly("b1", "b2");
  }

  @Test
  void spreadsRequestsOverEveryDeploymentOfAGroup() {
    DeploymentDirectory directory =
        new DeploymentDirectory(List.of(deployment("one", "g", "m"), deployment("two", "g", "m")));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200 && seen.size() < 2; i++) {
      seen.add(directory.route("g", "/chat/completions").deployment().id());
    }
    assertThat(seen).containsExactlyInAnyOrder("one", "two");
  }

  @Test
  void unknownNameIsA400NamingIt() {
    DeploymentDirectory directory =
        new DeploymentDirectory(List.of(deployment("x", "gpt-4o", "m")));
    assertThatThrownBy(() -> directory.route("gpt-5", "/chat/completions"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains("model=gpt-5").contains("/v1/models");
            });
  }
}
