package io.feathergate.redis;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.logging.Logger;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * What one replica tells the others at once, on one Redis channel: a deployment cooled down (from
 * inside {@link CounterScripts#COOL_DOWN}), and a key, team or user changed or deleted through its
 * management API (so the others drop what they hold in memory and read it again). Messages are
 * {@code cooldown <epoch ms> <deployment id>} and {@code key <replica> <scope>}. Once subscribed
 * (and after a lost subscription is made again) the cooldowns running in Redis are read, and after
 * a lost one every key in memory is refreshed, since messages sent meanwhile were missed. The
 * subscription's connection has no read timeout (Jedis lifts it while subscribed): it is pinged
 * every few seconds instead, and dropped when nothing came back for three pings.
 */
final class SharedEvents implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SharedEvents.class.getName());
  private static final long RETRY_MILLIS = 500;

  private final RedisLink redis;
  private final RedisWriter writer;
  private final SharedCounters counters;
  private final String channel;
  private final String replica;
  private final Thread thread;
  private volatile Consumer<String> keyChanged = scope -> {};
  private volatile Runnable keysMissed = () -> {};
  private volatile boolean closed;
  private volatile Subscription subscription;
  private volatile boolean everSubscribed;
  private volatile Jedis connection;

  /** When the subscription last heard from Redis (a message, a pong, the subscription). */
  private volatile long lastHeard = System.nanoTime();

  /** Three missed pings at the heartbeat's pace. */
  static final long SILENT_NANOS = 3 * SharedCounters.HEARTBEAT_MILLIS * 1_000_000L + 1_000_000L;

  SharedEvents(
      RedisLink redis,
      RedisWriter writer,
      SharedCounters counters,
      String keyPrefix,
      String replica) {
    this.redis = redis;
    this.writer = writer;
    this.counters = counters;
    this.channel = keyPrefix + "events";
    this.replica = replica;
    this.thread = new Thread(this::listen, "feathergate-redis-events");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  String channel() {
    return channel;
  }

  static String cooldownMessage(String deploymentId, long untilMillis) {
    return "cooldown " + untilMillis + " " + deploymentId;
  }

  /**
   * @param changed told the scope of a key, team or user another replica changed
   * @param missed told when messages may have been missed (after an outage)
   */
  void onKeyChanges(Consumer<String> changed, Runnable missed) {
    this.keyChanged = changed;
    this.keysMissed = missed;
  }

  /** Tells the other replicas that a key, team or user changed here. */
  void keyChanged(String scope) {
    String message = "key " + replica + " " + scope;
    writer.submit(
        () ->
            redis.call(
                jedis ->
                    jedis.publish(
                        channel.getBytes(StandardCharsets.UTF_8),
                        message.getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * Called every few seconds: pings the subscription, and drops its connection when nothing, not
   * even a pong, came back for {@link #SILENT_NANOS} (a server gone without closing it), so that
   * the subscription is made again.
   */
  void checkAlive() {
    Subscription current = subscription;
    Jedis jedis = connection;
    if (current == null || jedis == null || !current.isSubscribed()) {
      return;
    }
    if (System.nanoTime() - lastHeard > SILENT_NANOS) {
      jedis.disconnect(); // the blocked read fails, and listen() subscribes again
      return;
    }
    try {
      current.ping();
    } catch (RuntimeException e) {
      jedis.disconnect();
    }
  }

  private void listen() {
    while (!closed) {
      try (Jedis jedis = redis.subscriberConnection()) {
        Subscription current = new Subscription();
        subscription = current;
        connection = jedis;
        if (closed) {
          return;
        }
        jedis.subscribe(current, channel.getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        redis.failed(e);
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Subscribed, at start or again: cooldowns started while this replica was not listening are read,
   * and keys in memory refreshed (after an outage; at start there is nothing to refresh).
   */
  private void subscribed() {
    redis.succeeded();
    writer.submit(counters::catchUpCooldowns);
    if (everSubscribed) {
      LOG.info("subscribed to " + channel + " again; catching up on cooldowns and keys");
      keysMissed.run();
    }
    everSubscribed = true;
  }

  private void received(String message) {
    if (message.startsWith("cooldown ")) {
      String[] parts = message.split(" ", 3);
      if (parts.length == 3) {
        try {
          counters.cooledElsewhere(parts[2], Long.parseLong(parts[1]));
        } catch (NumberFormatException ignored) {
          // not one of ours
        }
      }
    } else if (message.startsWith("key ")) {
      String[] parts = message.split(" ", 3);
      if (parts.length == 3 && !parts[1].equals(replica)) {
        keyChanged.accept(parts[2]);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Subscription current = subscription;
    if (current != null && current.isSubscribed()) {
      try {
        current.unsubscribe();
      } catch (RuntimeException ignored) {
        // the connection is gone already
      }
    }
    thread.interrupt();
  }

  void awaitStop(long millis) throws InterruptedException {
    thread.join(millis);
  }

  private final class Subscription extends BinaryJedisPubSub {
    @Override
    public void onSubscribe(byte[] subscribedChannel, int subscribedChannels) {
      lastHeard = System.nanoTime();
      subscribed();
    }

    @Override
    public void onMessage(byte[] fromChannel, byte[] message) {
      lastHeard = System.nanoTime();
      received(new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void onPong(byte[] pattern) {
      lastHeard = System.nanoTime();
    }
  }
}
