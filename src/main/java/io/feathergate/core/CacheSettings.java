package io.feathergate.core;

import java.time.Duration;
import java.util.Set;

/**
 * LiteLLM's response cache ({@code litellm_settings.cache} and {@code cache_params}).
 *
 * @param on whether answers are cached at all
 * @param shared whether entries live in the Redis every replica shares ({@code type: redis}),
 *     rather than in this process only ({@code type: local})
 * @param ttl how long an entry lives unless a request says otherwise ({@code ttl}; LiteLLM's 60 s
 *     when unset)
 * @param inMemoryTtl with a shared cache, how long a copy is also kept in this process ({@code
 *     default_in_memory_ttl}), or null for none; with a local cache, the same as {@code ttl}
 * @param maxMemoryBytes what the entries kept in this process may weigh together
 * @param namespace the prefix of every entry's key ({@code namespace}), or null
 * @param callTypes which endpoints are cached ({@code supported_call_types})
 * @param defaultOff whether a request must ask for the cache ({@code mode: default_off} and the
 *     body's {@code cache: {"use-cache": true}})
 * @param scope who shares an entry
 */
public record CacheSettings(
    boolean on,
    boolean shared,
    Duration ttl,
    Duration inMemoryTtl,
    long maxMemoryBytes,
    String namespace,
    Set<CallType> callTypes,
    boolean defaultOff,
    Scope scope) {

  /** LiteLLM's default entry lifetime when none is configured. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

  /** What the entries kept in this process may weigh by default. */
  public static final long DEFAULT_MAX_MEMORY_BYTES = 32L * 1024 * 1024;

  /** No cache. */
  public static final CacheSettings OFF =
      new CacheSettings(
          false,
          false,
          DEFAULT_TTL,
          null,
          DEFAULT_MAX_MEMORY_BYTES,
          null,
          Set.of(CallType.values()),
          false,
          Scope.TEAM);

  public CacheSettings {
    callTypes = Set.copyOf(callTypes);
  }

  /** The endpoints a cache can serve, by LiteLLM's call-type names. */
  public enum CallType {
    /** {@code completion}, {@code acompletion}: {@code /v1/chat/completions}. */
    CHAT,
    /** {@code text_completion}, {@code atext_completion}: {@code /v1/completions}. */
    TEXT_COMPLETION,
    /** {@code embedding}, {@code aembedding}: {@code /v1/embeddings}, one entry per input item. */
    EMBEDDING
  }

  /** Whose requests share an entry. */
  public enum Scope {
    /** Each virtual key has its own entries. */
    KEY,
    /** A key in a team shares with the team's other keys; a key without one has its own. */
    TEAM,
    /** Everyone shares every entry, as LiteLLM does (a tenant can tell what another asked). */
    GLOBAL
  }
}
