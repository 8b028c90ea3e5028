package io.feathergate.core.routing;

import io.feathergate.core.Deployment;
import io.feathergate.core.RouterSettings;
import io.feathergate.core.RoutingHints;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.events.GatewayListener;
import io.feathergate.core.spi.ChatRequest;
import io.feathergate.core.spi.ChatRequests;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A router on a clock the test moves and a seeded random source: every pick is repeatable. */
final class RouterFixture {
  /** A clock the test sets; starts at the beginning of a minute. */
  static final class TestClock extends Clock {
    long millis = Instant.parse("2026-01-02T03:04:00Z").toEpochMilli();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    void advance(long by) {
      millis += by;
    }
  }

  /** Cooldowns the router reported. */
  static final class CooldownLog implements GatewayListener {
    final List<String> cooled = new ArrayList<>();

    @Override
    public void deploymentCooledDown(Deployment deployment, int status) {
      cooled.add(deployment.id() + ":" + status);
    }
  }

  final TestClock clock = new TestClock();
  final SplittableRandom random = new SplittableRandom(42);
  final LocalDeploymentCounters counters = new LocalDeploymentCounters();
  final CooldownLog cooldowns = new CooldownLog();
  final Router router;

  RouterFixture(RouterSettings settings, Deployment... deployments) {
    router =
        new Router(
            new DeploymentDirectory(List.of(deployments), settings.aliases()),
            settings,
            counters,
            clock,
            () -> random,
            cooldowns);
  }

  static Deployment deployment(String id, String group, RoutingHints hints) {
    return Deployment.builder(id, group, "openai", "model-" + id).routing(hints).build();
  }

  static Deployment deployment(String id, String group) {
    return deployment(id, group, RoutingHints.NONE);
  }

  static ChatRequest request(String model) {
    return request(model, "");
  }

  /** A request for {@code model}; {@code extra} adds fields ({@code ,"fallbacks":[...]}). */
  static ChatRequest request(String model, String extra) {
    return request(model, "hi", extra);
  }

  /** A request whose one message says {@code prompt} (plain text, nothing to escape). */
  static ChatRequest request(String model, String prompt, String extra) {
    return ChatRequests.parse(
        ("{\"model\":\""
                + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt
                + "\"}]"
                + extra
                + "}")
            .getBytes(StandardCharsets.UTF_8));
  }

  AttemptPlan plan(String model) {
    return router.plan(request(model), "/chat/completions");
  }

  /** The deployment a new request is routed to; its call ends at once. */
  String pickAndRelease(String model) {
    AttemptPlan plan = plan(model);
    String id = plan.first().deployment().id();
    plan.attemptEnded();
    return id;
  }

  static GatewayException failure(int status) {
    return new GatewayException(
        status,
        GatewayException.typeForStatus(status),
        "upstream said " + status,
        null,
        Integer.toString(status),
        GatewayException.isRetryableStatus(status));
  }
}
