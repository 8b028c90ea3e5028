package io.feathergate.core.routing;

import static io.feathergate.core.routing.RouterFixture.deployment;
import static io.feathergate.core.routing.RouterFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Deployment;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.RouterSettings.ErrorClass;
import io.feathergate.core.RouterSettings.RetryPolicy;
import io.feathergate.core.RoutingHints;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Retries within a group, fallbacks to other groups, and the backoff between them. */
class RouterRetriesTest {

  /** Runs a request whose every attempt fails with {@code failure}: the deployments tried. */
  private static List<String> attempts(AttemptPlan plan, GatewayException failure) {
    List<String> tried = new ArrayList<>();
    Route route = plan.first();
    while (route != null && tried.size() < 50) {
      tried.add(route.deployment().id());
      plan.attemptEnded();
      route = plan.next(route, failure);
    }
    return tried;
  }

  @Test
  void aRetryGoesToAnotherDeploymentAtOnce() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.defaults(),
            deployment("a", "g"),
            deployment("b", "g"),
            deployment("c", "g"));
    AttemptPlan plan = fixture.plan("g");
    Route first = plan.first();
    plan.attemptEnded();
    Route second = plan.next(first, failure(503));
    assertThat(second.deployment().id()).isNotEqualTo(first.deployment().id());
    assertThat(plan.delayMillis()).isZero();
    assertThat(plan.retries()).isEqualTo(1);
  }

  @Test
  void withoutNumRetriesEachOtherDeploymentIsTriedUpToTwoRetries() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.defaults(),
            deployment("a", "g"),
            deployment("b", "g"),
            deployment("c", "g"),
            deployment("d", "g"));
    List<String> tried = attempts(fixture.plan("g"), failure(500));
    assertThat(tried).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void aLoneDeploymentIsRetriedOnlyItsMaxRetriesWithBackoff() {
    Deployment lone = Deployment.builder("a", "g", "openai", "m").maxRetries(2).build();
    RouterFixture fixture = new RouterFixture(RouterSettings.defaults(), lone);
    AttemptPlan plan = fixture.plan("g");
    Route route = plan.first();
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 5 && route != null; i++) {
      plan.attemptEnded();
      route = plan.next(route, failure(429));
      if (route != null) {
        delays.add(plan.delayMillis());
      }
    }
    assertThat(delays).hasSize(2);
    assertThat(delays.get(0)).isBetween(500L, 875L);
    assertThat(delays.get(1)).isBetween(1000L, 1750L);
  }

  @Test
  void theUpstreamsRetryAfterIsHonoured() {
    RouterFixture fixture =
        new RouterFixture(RouterSettings.builder().numRetries(1).build(), deployment("a", "g"));
    AttemptPlan plan = fixture.plan("g");
    Route route = plan.first();
    plan.attemptEnded();
    GatewayException limited = failure(429).withHeaders(Map.of("retry-after", "3"));
    assertThat(plan.next(route, limited)).isNotNull();
    assertThat(plan.delayMillis()).isEqualTo(3000);
  }

  @Test
  void theBackoffScheduleDoublesToItsCapWithJitterAndKeepsTheMinimum() {
    SplittableRandom random = new SplittableRandom(7);
    for (int retry = 0; retry < 8; retry++) {
      long base = Math.min(8000, 500L << retry);
      long delay = Backoff.delayMillis(retry, -1, Duration.ZERO, random);
      assertThat(delay).isBetween(base, Math.min(8000, (long) (base * 1.75)));
    }
    assertThat(Backoff.delayMillis(0, 250, Duration.ZERO, random)).isEqualTo(250);
    assertThat(Backoff.delayMillis(0, 120_000, Duration.ZERO, random)).isLessThanOrEqualTo(875);
    assertThat(Backoff.delayMillis(0, 250, Duration.ofSeconds(2), random)).isEqualTo(2000);
  }

  @Test
  void aBadRequestIsNeitherRetriedNorFallenBackFrom() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().numRetries(3).fallbacks(Map.of("g", List.of("other"))).build(),
            deployment("a", "g"),
            deployment("b", "g"),
            deployment("o", "other"));
    assertThat(attempts(fixture.plan("g"), failure(400))).hasSize(1);
  }

  @Test
  void aRetryPolicyOverridesNumRetriesForItsErrorClass() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder()
                .numRetries(3)
                .retryPolicy(
                    new RetryPolicy(Map.of(ErrorClass.BAD_REQUEST, 1, ErrorClass.RATE_LIMIT, 0)))
                .build(),
            deployment("a", "g"),
            deployment("b", "g"),
            deployment("c", "g"));
    assertThat(attempts(fixture.plan("g"), failure(400))).hasSize(2);
    assertThat(attempts(fixture.plan("g"), failure(429))).hasSize(1);
    // three retries: the two other deployments, then one of the three again
    assertThat(attempts(fixture.plan("g"), failure(500))).hasSize(4);
  }

  @Test
  void afterTheRetriesTheFallbackGroupsAreTriedInOrderWithTheirOwnRetries() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder()
                .numRetries(1)
                .fallbacks(Map.of("g", List.of("missing", "f1", "f2")))
                .build(),
            deployment("a", "g"),
            deployment("b", "g"),
            deployment("f1a", "f1"),
            deployment("f1b", "f1"),
            deployment("f2a", "f2"));
    AttemptPlan plan = fixture.plan("g");
    List<String> tried = attempts(plan, failure(500));
    assertThat(tried.subList(0, 2)).containsExactlyInAnyOrder("a", "b");
    assertThat(tried.subList(2, 4)).containsExactlyInAnyOrder("f1a", "f1b");
    // a lone deployment takes its group's retry itself
    assertThat(tried.subList(4, tried.size())).containsExactly("f2a", "f2a");
    assertThat(plan.fallbacks()).isEqualTo(2);
    assertThat(plan.primaryModelGroup()).isEqualTo("g");
  }

  @Test
  void maxFallbacksBoundsTheGroupsTried() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder()
                .numRetries(0)
                .maxFallbacks(1)
                .fallbacks(Map.of("g", List.of("f1", "f2")))
                .build(),
            deployment("a", "g"),
            deployment("f1a", "f1"),
            deployment("f2a", "f2"));
    assertThat(attempts(fixture.plan("g"), failure(500))).containsExactly("a", "f1a");
  }

  @Test
  void aPromptTooLongGoesStraightToTheContextWindowFallbacks() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder()
                .numRetries(3)
                .fallbacks(Map.of("g", List.of("generic")))
                .contextWindowFallbacks(Map.of("g", List.of("long")))
                .build(),
            deployment("a", "g"),
            deployment("b", "g"),
            deployment("generic", "generic"),
            deployment("long", "long"));
    GatewayException tooLong =
        new GatewayException(
            400,
            "invalid_request_error",
            "This model's maximum context length is 8192 tokens.",
            "messages",
            "context_length_exceeded",
            false);
    List<String> tried = attempts(fixture.plan("g"), tooLong);
    assertThat(tried).hasSize(2);
    assertThat(tried.get(1)).isEqualTo("long");
  }

  @Test
  void fallbacksInTheRequestBodyWinOverTheConfig() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().numRetries(0).fallbacks(Map.of("g", List.of("f1"))).build(),
            deployment("a", "g"),
            deployment("f1a", "f1"),
            deployment("f2a", "f2"));
    AttemptPlan plan =
        fixture.router.plan(
            RouterFixture.request("g", ",\"fallbacks\":[{\"model\":\"f2\"}],\"num_retries\":0"),
            "/chat/completions");
    assertThat(attempts(plan, failure(500))).containsExactly("a", "f2a");
  }

  @Test
  void aRequestMayNotAskForMoreThanTenRetries() {
    RouterFixture fixture = new RouterFixture(RouterSettings.defaults(), deployment("a", "g"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                fixture.router.plan(
                    RouterFixture.request("g", ",\"num_retries\":1000"), "/chat/completions"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo("num_retries");
            });
  }

  @Test
  void defaultFallbacksServeGroupsWithoutTheirOwn() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().numRetries(0).defaultFallbacks(List.of("spare")).build(),
            deployment("a", "g"),
            deployment("s", "spare"));
    assertThat(attempts(fixture.plan("g"), failure(503))).containsExactly("a", "s");
  }

  @Test
  void aGroupWithNothingAvailableFallsBackBeforeRefusing() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().fallbacks(Map.of("g", List.of("spare"))).build(),
            deployment("a", "g", RoutingHints.NONE.withRpm(1)),
            deployment("s", "spare"));
    fixture.pickAndRelease("g");
    AttemptPlan plan = fixture.plan("g");
    assertThat(plan.first().deployment().id()).isEqualTo("s");
    assertThat(plan.fallbacks()).isEqualTo(1);
  }
}
