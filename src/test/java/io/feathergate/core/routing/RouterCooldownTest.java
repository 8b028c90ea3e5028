package io.feathergate.core.routing;

import static io.feathergate.core.routing.RouterFixture.deployment;
import static io.feathergate.core.routing.RouterFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.Deployment;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.RoutingHints;
import io.feathergate.core.errors.GatewayException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LiteLLM's cooldown rules, started and ended by the clock. */
class RouterCooldownTest {
  private final Deployment a = deployment("a", "g");
  private final Deployment b = deployment("b", "g");

  @Test
  void aRateLimitCoolsADeploymentOfALargerGroupForTheCooldownTime() {
    RouterFixture fixture = new RouterFixture(RouterSettings.defaults(), a, b);
    fixture.router.upstreamAttemptFinished(a, failure(429));
    assertThat(fixture.cooldowns.cooled).containsExactly("a:429");
    for (int i = 0; i < 50; i++) {
      assertThat(fixture.pickAndRelease("g")).isEqualTo("b");
    }
    assertThat(fixture.router.cooldownUntil(a)).isEqualTo(fixture.clock.millis() + 5000);
    fixture.clock.advance(4_999);
    assertThat(fixture.router.cooldownUntil(a)).isNotZero();
    fixture.clock.advance(1);
    assertThat(fixture.router.cooldownUntil(a)).isZero();
  }

  @Test
  void aLoneDeploymentIsNeverCooled() {
    RouterFixture fixture = new RouterFixture(RouterSettings.defaults(), a);
    for (int i = 0; i < 10; i++) {
      fixture.router.upstreamAttemptFinished(a, failure(429));
    }
    assertThat(fixture.cooldowns.cooled).isEmpty();
    assertThat(fixture.pickAndRelease("g")).isEqualTo("a");
  }

  @Test
  void serverErrorsCoolWhenMoreThanHalfOfTheMinutesCallsFailButNotOnTheFirst() {
    RouterFixture fixture = new RouterFixture(RouterSettings.defaults(), a, b);
    fixture.router.upstreamAttemptFinished(a, failure(500));
    assertThat(fixture.cooldowns.cooled).isEmpty(); // the first call of the minute
    fixture.router.upstreamAttemptFinished(a, null);
    fixture.router.upstreamAttemptFinished(a, null);
    fixture.router.upstreamAttemptFinished(a, failure(500)); // 2 of 4: half, not more
    assertThat(fixture.cooldowns.cooled).isEmpty();
    fixture.router.upstreamAttemptFinished(a, failure(502)); // 3 of 5
    assertThat(fixture.cooldowns.cooled).containsExactly("a:502");
  }

  @Test
  void aClientsBadRequestNeverCountsAgainstTheDeployment() {
    RouterFixture fixture = new RouterFixture(RouterSettings.defaults(), a, b);
    for (int i = 0; i < 10; i++) {
      fixture.router.upstreamAttemptFinished(a, failure(400));
    }
    assertThat(fixture.cooldowns.cooled).isEmpty();
  }

  @Test
  void allowedFailsReplacesTheRate() {
    RouterFixture fixture =
        new RouterFixture(RouterSettings.builder().allowedFails(2).build(), a, b);
    fixture.router.upstreamAttemptFinished(a, failure(429));
    fixture.router.upstreamAttemptFinished(a, failure(500));
    assertThat(fixture.cooldowns.cooled).isEmpty();
    fixture.router.upstreamAttemptFinished(a, failure(500));
    assertThat(fixture.cooldowns.cooled).containsExactly("a:500");
  }

  @Test
  void theDeploymentsOwnCooldownTimeWinsAndTheLaterEndIsKept() {
    Deployment slow =
        deployment("slow", "g", RoutingHints.NONE.withCooldownTime(Duration.ofSeconds(30)));
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().cooldownTime(Duration.ofSeconds(2)).build(), slow, b);
    long start = fixture.clock.millis();
    fixture.router.upstreamAttemptFinished(slow, failure(401));
    assertThat(fixture.router.cooldownUntil(slow)).isEqualTo(start + 30_000);
    fixture.clock.advance(1_000);
    fixture.router.upstreamAttemptFinished(slow, failure(401));
    assertThat(fixture.router.cooldownUntil(slow)).isEqualTo(start + 31_000);
    assertThat(fixture.cooldowns.cooled).hasSize(1); // extended, not started again
    // an earlier end never shortens a running cooldown
    fixture.counters.counter(slow).coolDownUntil(start + 10_000, fixture.clock.millis());
    assertThat(fixture.router.cooldownUntil(slow)).isEqualTo(start + 31_000);
  }

  @Test
  void disableCooldownsKeepsEveryDeploymentInRotation() {
    RouterFixture fixture =
        new RouterFixture(RouterSettings.builder().disableCooldowns(true).build(), a, b);
    fixture.router.upstreamAttemptFinished(a, failure(429));
    assertThat(fixture.cooldowns.cooled).isEmpty();
  }

  @Test
  void aGroupAllCoolingIsRefusedWithLiteLlmsMessageAndTheWait() {
    RouterFixture fixture = new RouterFixture(RouterSettings.defaults(), a, b);
    fixture.router.upstreamAttemptFinished(a, failure(429));
    fixture.clock.advance(2_000);
    fixture.router.upstreamAttemptFinished(b, failure(429));
    assertThatThrownBy(() -> fixture.plan("g").first())
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.getMessage())
                  .startsWith(
                      "No deployments available for selected model, Try again in 3 seconds.");
              assertThat(e.headers()).containsEntry("retry-after", "3");
            });
  }

  @Test
  void healthShowsACoolingDeploymentAsAnOutageUntilItIsBack() {
    RouterFixture fixture = new RouterFixture(RouterSettings.defaults(), a, b);
    DeploymentHealth health = new DeploymentHealth(List.of(a, b), fixture.clock, fixture.counters);
    fixture.router.upstreamAttemptFinished(a, failure(429));
    assertThat(health.state(a)).isEqualTo(DeploymentHealth.State.OUTAGE);
    assertThat(health.snapshot().get(0).cooldownUntilEpochMillis()).isPositive();
    fixture.clock.advance(5_000);
    assertThat(health.snapshot().get(0).cooldownUntilEpochMillis()).isZero();
    assertThat(health.state(a)).isEqualTo(DeploymentHealth.State.HEALTHY);
  }
}
