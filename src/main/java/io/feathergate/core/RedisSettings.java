package io.feathergate.core;

import java.time.Duration;
import java.util.List;

/**
 * The one Redis every replica shares: limits, cooldowns and key-cache changes (and, later, the
 * response cache) all go through it. Set once, from {@code router_settings.redis_*}, {@code
 * litellm_settings.cache_params} or {@code REDIS_*}; LiteLLM's split between a router Redis and a
 * cache Redis is not kept.
 *
 * @param host the server's host, or the first Sentinel's when {@code sentinelMaster} is set
 * @param port its port
 * @param username an ACL user, or null for the default user
 * @param password a secret, or null
 * @param ssl TLS to the server ({@code rediss://} or {@code ssl: true})
 * @param database the logical database ({@code redis_db}, the URL's path)
 * @param sentinelMaster the monitored master's name ({@code service_name}), or null without
 *     Sentinel
 * @param sentinels {@code host:port} of each Sentinel when {@code sentinelMaster} is set
 * @param namespace a prefix of every key, so that gateways of different environments can share one
 *     Redis; null for none
 * @param timeout how long one command may take before the request goes on without Redis
 */
public record RedisSettings(
    String host,
    int port,
    String username,
    Secret password,
    boolean ssl,
    int database,
    String sentinelMaster,
    List<String> sentinels,
    String namespace,
    Duration timeout) {

  public static final int DEFAULT_PORT = 6379;

  /**
   * Loopback Redis answers in tens of microseconds and a busy one in a millisecond or two; past 50
   * ms it is failing, and a request is better served by this replica's own counters than kept
   * waiting.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);

  public RedisSettings {
    sentinels = List.copyOf(sentinels);
  }

  /** Where it is, for logs and {@code /health}: never the password. */
  public String describe() {
    String where = sentinelMaster != null ? "sentinel master " + sentinelMaster : host + ":" + port;
    return (ssl ? "rediss://" : "redis://") + where + (database != 0 ? "/" + database : "");
  }
}
