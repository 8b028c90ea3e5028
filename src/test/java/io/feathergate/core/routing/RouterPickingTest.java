package io.feathergate.core.routing;

import static io.feathergate.core.routing.RouterFixture.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.feathergate.core.Deployment;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.RouterSettings.Alias;
import io.feathergate.core.RouterSettings.RoutingStrategy;
import io.feathergate.core.RoutingHints;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.events.RequestRecord;
import io.feathergate.core.spi.TokenUsage;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each strategy's pick on constructed state, tiers, limits and the group-wide refusal. */
class RouterPickingTest {
  private static final int PICKS = 100_000;

  /**
   * The share of each deployment over {@code PICKS} picks. With p ≤ 0.7 the standard deviation of a
   * share is at most sqrt(0.25 / 100,000) ≈ 0.0016: the 0.008 bound below is five of them.
   */
  private static Map<String, Double> shares(RouterFixture fixture, String model) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < PICKS; i++) {
      counts.merge(fixture.pickAndRelease(model), 1, Integer::sum);
    }
    Map<String, Double> shares = new HashMap<>();
    counts.forEach((id, count) -> shares.put(id, count / (double) PICKS));
    return shares;
  }

  @Test
  void simpleShuffleFollowsTheWeights() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.defaults(),
            deployment("a", "g", RoutingHints.NONE.withWeight(1)),
            deployment("b", "g", RoutingHints.NONE.withWeight(2)),
            deployment("c", "g", RoutingHints.NONE.withWeight(7)));
    Map<String, Double> shares = shares(fixture, "g");
    assertThat(shares.get("a")).isCloseTo(0.1, within(0.008));
    assertThat(shares.get("b")).isCloseTo(0.2, within(0.008));
    assertThat(shares.get("c")).isCloseTo(0.7, within(0.008));
  }

  @Test
  void withoutWeightsTheRpmLimitsAreTheWeights() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.defaults(),
            deployment("a", "g", RoutingHints.NONE.withRpm(1_000_000)),
            deployment("b", "g", RoutingHints.NONE.withRpm(3_000_000)));
    Map<String, Double> shares = shares(fixture, "g");
    assertThat(shares.get("a")).isCloseTo(0.25, within(0.008));
    assertThat(shares.get("b")).isCloseTo(0.75, within(0.008));
  }

  @Test
  void anUnweightedDeploymentCountsOneBesideWeightedOnes() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.defaults(),
            deployment("a", "g", RoutingHints.NONE.withWeight(3)),
            deployment("b", "g"));
    assertThat(shares(fixture, "g").get("b")).isCloseTo(0.25, within(0.008));
  }

  @Test
  void leastBusyPicksTheFewestCallsInFlight() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().strategy(RoutingStrategy.LEAST_BUSY).build(),
            deployment("a", "g"),
            deployment("b", "g"),
            deployment("c", "g"));
    // three calls left running: one on each, then the fourth goes anywhere, the fifth not there
    Map<String, Integer> running = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      running.merge(fixture.plan("g").first().deployment().id(), 1, Integer::sum);
    }
    assertThat(running).containsOnlyKeys("a", "b", "c");
    AttemptPlan busyOne = fixture.plan("g");
    String fourth = busyOne.first().deployment().id();
    String fifth = fixture.plan("g").first().deployment().id();
    assertThat(fifth).isNotEqualTo(fourth);
  }

  @Test
  void usageBasedPicksTheFewestTokensThisMinuteAndSkipsThoseOverTheirLimit() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().strategy(RoutingStrategy.USAGE_BASED).build(),
            deployment("a", "g", RoutingHints.NONE.withTpm(1000)),
            deployment("b", "g", RoutingHints.NONE.withTpm(1000)),
            deployment("c", "g", RoutingHints.NONE.withTpm(1000)));
    finish(fixture, "a", 300);
    finish(fixture, "b", 100);
    finish(fixture, "c", 1000); // at its limit
    for (int i = 0; i < 20; i++) {
      assertThat(fixture.pickAndRelease("g")).isEqualTo("b");
    }
    // the next minute starts from zero for everyone: c is back, ties shared at random
    fixture.clock.advance(60_000);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(fixture.pickAndRelease("g"), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("a", "b", "c");
  }

  @Test
  void latencyBasedPicksTheFastestRecentDeploymentAndForgetsAfterTheTtl() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder()
                .strategy(RoutingStrategy.LATENCY_BASED)
                .latencyTtl(java.time.Duration.ofSeconds(10))
                .build(),
            deployment("a", "g"),
            deployment("b", "g"));
    latency(fixture, "a", 50_000_000, false);
    latency(fixture, "b", 20_000_000, false);
    latency(fixture, "a", 5_000_000, true); // a streams faster
    latency(fixture, "b", 90_000_000, true);
    for (int i = 0; i < 20; i++) {
      assertThat(fixture.pickAndRelease("g")).isEqualTo("b");
      AttemptPlan stream =
          fixture.router.plan(RouterFixture.request("g", ",\"stream\":true"), "/chat/completions");
      assertThat(stream.first().deployment().id()).isEqualTo("a");
      stream.attemptEnded();
    }
    // an unmeasured deployment is tried first; after the TTL every sample is forgotten
    fixture.clock.advance(11_000);
    latency(fixture, "b", 20_000_000, false);
    assertThat(fixture.pickAndRelease("g")).isEqualTo("a");
  }

  @Test
  void latencyBufferSharesTrafficAmongTheNearlyFastest() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder()
                .strategy(RoutingStrategy.LATENCY_BASED)
                .lowestLatencyBuffer(0.5)
                .build(),
            deployment("a", "g"),
            deployment("b", "g"),
            deployment("c", "g"));
    latency(fixture, "a", 10_000_000, false);
    latency(fixture, "b", 14_000_000, false);
    latency(fixture, "c", 30_000_000, false);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      counts.merge(fixture.pickAndRelease("g"), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("a", "b");
  }

  @Test
  void theNextTierServesOnlyWhenTheLowerOneHasNothingAvailable() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.defaults(),
            deployment("first", "g", RoutingHints.NONE.withOrder(1).withRpm(2)),
            deployment("second", "g", RoutingHints.NONE.withOrder(2)),
            deployment("unordered", "g"));
    assertThat(fixture.pickAndRelease("g")).isEqualTo("first");
    assertThat(fixture.pickAndRelease("g")).isEqualTo("first");
    assertThat(fixture.pickAndRelease("g")).isEqualTo("second");
  }

  @Test
  void aDeploymentAtItsParallelLimitIsSkippedUntilACallEnds() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.defaults(),
            deployment("a", "g", RoutingHints.NONE.withOrder(1).withMaxParallelRequests(1)),
            deployment("b", "g", RoutingHints.NONE.withOrder(2)));
    AttemptPlan running = fixture.plan("g");
    assertThat(running.first().deployment().id()).isEqualTo("a");
    assertThat(fixture.pickAndRelease("g")).isEqualTo("b");
    running.attemptEnded();
    running.attemptEnded(); // twice changes nothing
    assertThat(fixture.pickAndRelease("g")).isEqualTo("a");
    assertThat(fixture.counters.counter(deploymentOf(fixture, "a")).inFlight()).isZero();
  }

  @Test
  void theRouterDefaultParallelLimitAppliesToDeploymentsWithoutTheirOwn() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().defaultMaxParallelRequests(1).build(), deployment("a", "g"));
    fixture.plan("g").first();
    assertThatThrownBy(() -> fixture.plan("g").first())
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.headers()).containsEntry("retry-after", "1");
            });
  }

  @Test
  void aWholeGroupOverItsRpmIsRefusedUntilTheNextMinute() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.defaults(),
            deployment("a", "g", RoutingHints.NONE.withRpm(1)),
            deployment("b", "g", RoutingHints.NONE.withRpm(1)));
    fixture.pickAndRelease("g");
    fixture.pickAndRelease("g");
    fixture.clock.advance(15_000);
    assertThatThrownBy(() -> fixture.plan("g").first())
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "No deployments available for selected model, Try again in 45 seconds."
                          + " Passed model=g");
              assertThat(e.headers()).containsEntry("retry-after", "45");
            });
    fixture.clock.advance(45_000);
    assertThat(fixture.pickAndRelease("g")).isIn("a", "b");
  }

  @Test
  void anAliasRoutesToItsGroupAndAWildcardToTheMatchedName() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().aliases(Map.of("gpt-4", new Alias("g", true))).build(),
            deployment("a", "g"),
            Deployment.builder("w", "openai/*", "openai", "*").build());
    assertThat(fixture.pickAndRelease("gpt-4")).isEqualTo("a");
    AttemptPlan wildcard = fixture.plan("openai/gpt-x");
    assertThat(wildcard.first().upstreamModel()).isEqualTo("gpt-x");
    assertThatThrownBy(() -> fixture.plan("unknown"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void preCallChecksSkipDeploymentsWhoseWindowIsTooSmall() {
    RouterFixture fixture =
        new RouterFixture(
            RouterSettings.builder().enablePreCallChecks(true).build(),
            deployment("small", "g", RoutingHints.NONE.withMaxInputTokens(100)),
            deployment("large", "g", RoutingHints.NONE.withMaxInputTokens(100_000)));
    String longPrompt = "x".repeat(4_000); // about 1,000 tokens
    for (int i = 0; i < 20; i++) {
      AttemptPlan plan =
          fixture.router.plan(RouterFixture.request("g", longPrompt, ""), "/chat/completions");
      assertThat(plan.first().deployment().id()).isEqualTo("large");
      plan.attemptEnded();
    }
  }

  private static Deployment deploymentOf(RouterFixture fixture, String id) {
    return fixture.router.group("g")
        .members[
        java.util.Arrays.stream(fixture.router.group("g").members)
            .map(m -> m.deployment.id())
            .toList()
            .indexOf(id)]
        .deployment;
  }

  private static void finish(RouterFixture fixture, String id, long tokens) {
    fixture.router.requestFinished(
        record(deploymentOf(fixture, id), false, -1, 1_000_000, new TokenUsage(tokens, 0, tokens)));
  }

  private static void latency(RouterFixture fixture, String id, long nanos, boolean stream) {
    fixture.router.requestFinished(
        record(
            deploymentOf(fixture, id),
            stream,
            stream ? nanos : -1,
            stream ? nanos * 3 : nanos,
            null));
  }

  static RequestRecord record(
      Deployment deployment, boolean stream, long ttft, long upstream, TokenUsage usage) {
    return new RequestRecord(
        "r",
        0,
        "/chat/completions",
        deployment,
        stream,
        200,
        null,
        upstream,
        ttft,
        upstream,
        usage,
        0,
        0,
        deployment.modelGroup(),
        "127.0.0.1",
        io.feathergate.core.auth.Principal.NONE,
        RequestRecord.CacheUse.NONE);
  }
}
