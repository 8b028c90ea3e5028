package io.feathergate.redis;

import io.feathergate.core.Availability;
import io.feathergate.core.RedisSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.Pool;

/**
 * The gateway's connections to Redis: a small pool whose every command is bounded by the configured
 * timeout (connecting too), behind a {@link Breaker}, so that a Redis that is away or slow costs a
 * request at most one timeout and, once the breaker is open, nothing. Whether Redis answered is
 * kept for {@code /health}, the status page and {@code /metrics}; an outage is logged once when it
 * begins and once when it ends.
 */
public final class RedisLink implements AutoCloseable {
  /** Enough for the request threads of a busy replica; each borrows for one round trip. */
  private static final int MAX_CONNECTIONS = 32;

  private final RedisSettings settings;
  private final Pool<Jedis> pool;
  private final Breaker breaker;
  private final AtomicLong failures = new AtomicLong();
  private final Availability availability;

  public RedisLink(RedisSettings settings, Clock clock) {
    this.settings = settings;
    this.availability =
        new Availability(
            clock, "Redis at " + settings.describe(), "limits use each replica's own counters");
    this.breaker = new Breaker(clock::millis);
    this.pool = pool(settings, clientConfig(settings));
  }

  private static JedisClientConfig clientConfig(RedisSettings settings) {
    int timeout = (int) Math.max(1, settings.timeout().toMillis());
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .socketTimeoutMillis(timeout)
            // a new connection may take a TLS handshake: a little longer, still bounded
            .connectionTimeoutMillis(Math.max(timeout, 200))
            .database(settings.database())
            .ssl(settings.ssl())
            .clientName("feathergate");
    if (settings.username() != null) {
      config.user(settings.username());
    }
    if (settings.password() != null) {
      config.password(settings.password().reveal());
    }
    return config.build();
  }

  private static Pool<Jedis> pool(RedisSettings settings, JedisClientConfig client) {
    GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
    config.setMaxTotal(MAX_CONNECTIONS);
    config.setMaxIdle(MAX_CONNECTIONS);
    config.setMinIdle(0);
    config.setBlockWhenExhausted(true);
    config.setMaxWait(settings.timeout());
    config.setJmxEnabled(false);
    if (settings.sentinelMaster() == null) {
      return new JedisPool(config, new HostAndPort(settings.host(), settings.port()), client);
    }
    Set<HostAndPort> sentinels = new HashSet<>();
    for (String node : settings.sentinels()) {
      sentinels.add(HostAndPort.from(node));
    }
    return new JedisSentinelPool(
        settings.sentinelMaster(), sentinels, config, client, sentinelConfig(settings));
  }

  private static JedisClientConfig sentinelConfig(RedisSettings settings) {
    int timeout = (int) Math.max(1, settings.timeout().toMillis());
    return DefaultJedisClientConfig.builder()
        .socketTimeoutMillis(Math.max(timeout, 200))
        .connectionTimeoutMillis(Math.max(timeout, 200))
        .ssl(settings.ssl())
        .build();
  }

  public RedisSettings settings() {
    return settings;
  }

  /**
   * Runs one command on a pooled connection.
   *
   * @throws Unavailable at once while the breaker is open, or when Redis failed or took longer than
   *     the timeout
   */
  public <T> T call(Function<Jedis, T> command) {
    if (!breaker.allows()) {
      failures.incrementAndGet();
      throw Unavailable.BREAKER_OPEN;
    }
    try (Jedis jedis = pool.getResource()) {
      T result = command.apply(jedis);
      succeeded();
      return result;
    } catch (RuntimeException e) {
      // a Jedis exception, or the pool's own when no connection came within the timeout
      if (e instanceof JedisConnectionException) {
        // the other idle connections went with the server: none is tried again
        pool.clear();
      }
      failed(e);
      throw new Unavailable(e);
    }
  }

  /** Runs a script by its SHA-1, sending its text once when Redis does not know it (NOSCRIPT). */
  Object eval(Script script, String key, List<String> args) {
    List<byte[]> keys = keys(key);
    List<byte[]> argv = args(args);
    return call(
        jedis -> {
          try {
            return jedis.evalsha(script.sha(), keys, argv);
          } catch (JedisNoScriptException e) {
            // after a restart or a failover the script cache is empty: EVAL loads it again
            return jedis.eval(script.textBytes(), keys, argv);
          }
        });
  }

  /**
   * Runs script calls in one pipelined round trip, and returns their answers in order; a script
   * Redis does not know (NOSCRIPT) is sent again with its text.
   */
  List<Object> evalAll(List<RedisWriter.ScriptCall> calls) {
    return call(
        jedis -> {
          List<Response<Object>> responses = new ArrayList<>(calls.size());
          try (Pipeline pipeline = jedis.pipelined()) {
            for (RedisWriter.ScriptCall call : calls) {
              responses.add(
                  pipeline.evalsha(call.script().sha(), keys(call.key()), args(call.args())));
            }
          }
          List<Object> answers = new ArrayList<>(calls.size());
          for (int i = 0; i < calls.size(); i++) {
            try {
              answers.add(responses.get(i).get());
            } catch (JedisDataException e) {
              if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
                throw e;
              }
              RedisWriter.ScriptCall call = calls.get(i);
              answers.add(
                  jedis.eval(call.script().textBytes(), keys(call.key()), args(call.args())));
            }
          }
          return answers;
        });
  }

  private static List<byte[]> keys(String key) {
    return List.of(key.getBytes(StandardCharsets.UTF_8));
  }

  private static List<byte[]> args(List<String> args) {
    List<byte[]> bytes = new ArrayList<>(args.size());
    for (String arg : args) {
      bytes.add(arg.getBytes(StandardCharsets.UTF_8));
    }
    return bytes;
  }

  /** Whether Redis answered its last command, since when, and why not. */
  public Availability availability() {
    return availability;
  }

  /** Commands that failed or were refused by the open breaker, since the start. */
  public long failures() {
    return failures.get();
  }

  /** A command failed on another connection (the subscription's). */
  void failed(Throwable e) {
    failures.incrementAndGet();
    breaker.failed();
    availability.failed(e);
  }

  /** A command succeeded on another connection (the subscription's). */
  void succeeded() {
    breaker.succeeded();
    availability.succeeded();
  }

  /** A dedicated connection for the subscription, outside the pool; no read timeout. */
  Jedis subscriberConnection() {
    Duration connect =
        settings.timeout().compareTo(Duration.ofMillis(200)) > 0
            ? settings.timeout()
            : Duration.ofMillis(200);
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) connect.toMillis())
            .socketTimeoutMillis(0)
            .database(settings.database())
            .ssl(settings.ssl())
            .clientName("feathergate-events");
    if (settings.username() != null) {
      config.user(settings.username());
    }
    if (settings.password() != null) {
      config.password(settings.password().reveal());
    }
    HostAndPort where =
        pool instanceof JedisSentinelPool sentinel
            ? sentinel.getCurrentHostMaster()
            : new HostAndPort(settings.host(), settings.port());
    return new Jedis(where, config.build());
  }

  @Override
  public void close() {
    pool.close();
  }

  /** Redis could not be used for this command; the caller goes on without it. */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Unavailable BREAKER_OPEN = new Unavailable("Redis is skipped for a moment", false);

    Unavailable(Throwable cause) {
      super(cause.getMessage(), cause);
    }

    private Unavailable(String message, boolean unused) {
      super(message, null, false, false);
    }
  }
}
