package io.feathergate.core;

import java.time.Duration;

/**
 * Where virtual keys and spend are kept, and how often the gateway talks to that database.
 *
 * @param url {@code general_settings.database_url}, else env {@code DATABASE_URL} (LiteLLM's
 *     variable): a {@code postgresql://user:password@host:port/db} URL or a JDBC URL; null for the
 *     embedded database in the data directory. A secret: it may carry a password.
 * @param keyCacheTtl {@code user_api_key_cache_ttl}: how long a key read from the database is
 *     trusted before it is read again (changes made through this gateway apply at once)
 * @param spendWriteInterval {@code proxy_batch_write_at}: how often spend and spend logs are
 *     written
 */
public record DatabaseSettings(Secret url, Duration keyCacheTtl, Duration spendWriteInterval) {

  /** LiteLLM's default {@code user_api_key_cache_ttl}. */
  public static final Duration DEFAULT_KEY_CACHE_TTL = Duration.ofSeconds(60);

  /** Shorter than LiteLLM's 10 s: a crash loses less, and a batch stays small. */
  public static final Duration DEFAULT_SPEND_WRITE_INTERVAL = Duration.ofSeconds(5);

  public static final DatabaseSettings DEFAULTS =
      new DatabaseSettings(null, DEFAULT_KEY_CACHE_TTL, DEFAULT_SPEND_WRITE_INTERVAL);
}
