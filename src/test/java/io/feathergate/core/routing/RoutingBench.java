package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.RouterSettings.RoutingStrategy;
import io.feathergate.core.RoutingHints;
import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import io.feathergate.core.spi.Route;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One routing decision in a group of {@value #GROUP} deployments, per strategy (run by {@code
 * io.feathergate.bench.jmh.RunJmh}).
 *
 * <p>{@code decision}: what each request's pick costs: the strategy's choice among the eligible
 * deployments (none cooling, every one with rpm and parallel limits to check), the acquisition of
 * the chosen one's counters, and their release when its call ends.
 *
 * <p>{@code request}: the whole plan of a request as the service makes it: the group found by name,
 * the body's routing fields looked up, the plan built, its first route picked and released.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBench {
  static final int GROUP = 100;

  @Param({"SIMPLE_SHUFFLE", "LEAST_BUSY", "LATENCY_BASED", "USAGE_BASED"})
  public String strategy;

  private Router router;
  private ChatRequest request;
  private RouterPlan plan;
  private Member[] tier;

  @Setup
  public void setUp() {
    List<Deployment> deployments = new ArrayList<>();
    for (int i = 0; i < GROUP; i++) {
      deployments.add(
          Deployment.builder("d" + i, "group", "openai", "m")
              .routing(
                  RoutingHints.NONE
                      .withWeight(1 + i % 7)
                      .withRpm(1_000_000_000)
                      .withTpm(1_000_000_000)
                      .withMaxParallelRequests(1_000_000))
              .build());
    }
    RouterSettings settings =
        RouterSettings.builder().strategy(RoutingStrategy.valueOf(strategy)).build();
    router =
        new Router(
            new DeploymentDirectory(deployments),
            settings,
            new LocalDeploymentCounters(),
            Clock.systemUTC(),
            ThreadLocalRandom::current,
            GatewayListener.NONE);
    request =
        ChatRequests.parse(
            "{\"model\":\"group\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8));
    plan = (RouterPlan) router.plan(request, "/chat/completions");
    tier = router.group("group").tiers[0];
  }

  @Benchmark
  public Deployment decision() {
    Route route = plan.pickForBenchmark(tier);
    plan.attemptEnded();
    return route.deployment();
  }

  @Benchmark
  public Deployment request() {
    AttemptPlan each = router.plan(request, "/chat/completions");
    Route route = each.first();
    each.attemptEnded();
    return route.deployment();
  }
}
