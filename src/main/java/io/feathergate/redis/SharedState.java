package io.feathergate.redis;

import io.feathergate.core.RedisSettings;
import io.feathergate.core.RedisStatus;
import io.feathergate.core.cache.CacheStore;
import io.feathergate.core.keys.KeyDirectory;
import io.feathergate.core.keys.SharedSpend;
import io.feathergate.core.routing.DeploymentCounters;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the replicas of one gateway share through Redis: the router's and the keys' counters, the
 * cooldowns, and the changes to keys, teams and users. Made once at start when a Redis is
 * configured; Redis need not be up then, nor stay up: while it is away each replica counts for
 * itself, and sharing resumes by itself when it returns.
 */
public final class SharedState implements RedisStatus, AutoCloseable {
  private final RedisLink link;
  private final RedisWriter writer;
  private final SharedCounters counters;
  private final SharedEvents events;
  private final ScheduledExecutorService timer;

  private SharedState(RedisSettings settings, Clock clock) {
    String keyPrefix =
        (settings.namespace() == null ? "" : settings.namespace() + ":") + "feathergate:";
    String replica = replicaId();
    this.link = new RedisLink(settings, clock);
    this.writer = new RedisWriter(link);
    this.counters = new SharedCounters(link, writer, keyPrefix, replica, clock::millis);
    this.events = new SharedEvents(link, writer, counters, keyPrefix, replica);
    counters.announceCooldownsThrough(events);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "feathergate-redis-heartbeat");
              thread.setDaemon(true);
              return thread;
            });
  }

  public static SharedState start(RedisSettings settings, Clock clock) {
    SharedState state = new SharedState(settings, clock);
    state.events.start();
    var unusedHeartbeat =
        state.timer.scheduleWithFixedDelay(
            () -> {
              state.counters.heartbeat();
              state.events.checkAlive();
            },
            SharedCounters.HEARTBEAT_MILLIS,
            SharedCounters.HEARTBEAT_MILLIS,
            TimeUnit.MILLISECONDS);
    var unusedFlush =
        state.timer.scheduleWithFixedDelay(
            state.counters::flush,
            SharedCounters.FLUSH_MILLIS,
            SharedCounters.FLUSH_MILLIS,
            TimeUnit.MILLISECONDS);
    return state;
  }

  /** The process id and 32 random bits: unique among replicas, readable in Redis. */
  private static String replicaId() {
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    return ManagementFactory.getRuntimeMXBean().getPid() + "-" + HexFormat.of().formatHex(random);
  }

  public DeploymentCounters counters() {
    return counters;
  }

  @Override
  public String where() {
    return link.settings().describe();
  }

  @Override
  public boolean up() {
    return link.availability().up();
  }

  @Override
  public Instant since() {
    return link.availability().since();
  }

  @Override
  public String problem() {
    return link.availability().problem();
  }

  @Override
  public long failures() {
    return link.failures();
  }

  @Override
  public long droppedUpdates() {
    return writer.dropped();
  }

  /** Budgets' spend, shared by the replicas. */
  /** The response cache's entries, in this Redis. */
  public CacheStore cache() {
    return new SharedCache(link, writer);
  }

  public SharedSpend spend() {
    return new SharedBudgets(writer, counters);
  }

  /**
   * Keys, teams and users changed through this replica are announced to the others, and those the
   * others change are read again here.
   */
  public void shareKeyChanges(KeyDirectory keys) {
    keys.announceChangesTo(events::keyChanged);
    events.onKeyChanges(keys::changedElsewhere, keys::refreshAll);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    counters.flush();
    counters.releaseAll();
    events.close();
    writer.close();
    link.close();
    try {
      // a container checks for threads left behind right after undeploy
      timer.awaitTermination(2, TimeUnit.SECONDS);
      events.awaitStop(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
