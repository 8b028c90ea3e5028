package io.feathergate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.RedisSettings;
import io.feathergate.core.routing.DeploymentCounters;
import io.feathergate.e2e.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis found through a real Sentinel ({@code service_name} and {@code sentinel_nodes}): limits are
 * counted on the master it names, and cooldowns travel through the master's channel.
 */
class SentinelTest {

  @Test
  void countersAndCooldownsGoThroughTheMasterTheSentinelNames() throws Exception {
    try (RedisServer master = RedisServer.start();
        RedisServer sentinel = RedisServer.sentinel(master, "gateway-master")) {
      RedisSettings settings =
          new RedisSettings(
              "127.0.0.1",
              sentinel.port(),
              null,
              null,
              false,
              0,
              "gateway-master",
              List.of("127.0.0.1:" + sentinel.port()),
              null,
              Duration.ofMillis(500));
      try (SharedState first = SharedState.start(settings, Clock.systemUTC());
          SharedState second = SharedState.start(settings, Clock.systemUTC())) {
        long minute = System.currentTimeMillis() / 60_000;
        DeploymentCounters.Counter a = first.counters().counter("deployment-s");
        DeploymentCounters.Counter b = second.counters().counter("deployment-s");
        assertThat(a.tryAcquire(minute, 0, 5)).isTrue();
        assertThat(master.command("HLEN feathergate:{deployment-s}:parallel")).isEqualTo(":1");
        long now = System.currentTimeMillis();
        a.coolDownUntil(now + 60_000, now);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (b.cooldownUntil() != now + 60_000 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(b.cooldownUntil())
            .as("the cooldown on the other replica")
            .isEqualTo(now + 60_000);
        assertThat(first.up()).isTrue();
        assertThat(first.where()).isEqualTo("redis://sentinel master gateway-master");
      }
    }
  }
}
