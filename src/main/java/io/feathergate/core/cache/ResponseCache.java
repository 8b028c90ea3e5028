package io.feathergate.core.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.CacheSettings;
import io.feathergate.core.CacheSettings.CallType;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.spi.ChatRequest;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * LiteLLM's response cache: opens a {@link CacheTicket} for each request it serves, which is either
 * a hit to replay or the collector of the answer to store. Lookups run on the request's thread (a
 * shared store bounds them by its timeout). An answer is checked and stored before it goes out (a
 * shared store only queues it for its writer), so the client's next request finds it: the check
 * parses the answer, or a stream's chunks up to the first that says something.
 */
public final class ResponseCache {
  private static final Logger LOG = Logger.getLogger(ResponseCache.class.getName());

  /** The largest entry kept: a longer answer is served, not stored. */
  static final int MAX_ENTRY_BYTES = 4 * 1024 * 1024;

  private final CacheSettings settings;
  private final CacheStore store;
  private final LongSupplier clockMillis;

  public ResponseCache(CacheSettings settings, CacheStore store, LongSupplier clockMillis) {
    this.settings = settings;
    this.store = store;
    this.clockMillis = clockMillis;
  }

  /**
   * The ticket of a request the cache serves, or null when it does not serve this one: its endpoint
   * is not cached, or the cache is {@code default_off} and the request did not ask.
   *
   * @param answeringModel the model group that answers (for a wildcard group, with the model it is
   *     asked for)
   * @param callType the endpoint's call type, or null for one the cache never serves
   * @throws io.feathergate.core.errors.GatewayException 400 when the body's {@code cache} controls
   *     are malformed
   */
  public CacheTicket open(
      ChatRequest request, String answeringModel, CallType callType, Principal principal) {
    if (callType == null || !settings.callTypes().contains(callType)) {
      return null;
    }
    ObjectNode body = request.body();
    CacheControls controls = CacheControls.of(body.get(CacheControls.FIELD));
    if (settings.defaultOff() && !controls.useCache()) {
      return null;
    }
    String scope = scope(principal);
    String namespace = controls.namespace() != null ? controls.namespace() : settings.namespace();
    if (callType == CallType.EMBEDDING) {
      return EmbeddingTicket.open(this, request, answeringModel, scope, namespace, controls);
    }
    String key = CacheKeys.key(body, answeringModel, callType.name(), scope, namespace);
    CachedAnswer hit = controls.noCache() ? null : read(key, controls, request.stream());
    return new AnswerTicket(this, key, controls, hit);
  }

  private String scope(Principal principal) {
    String key = principal.keyHash() == null ? "-" : principal.keyHash();
    return switch (settings.scope()) {
      case GLOBAL -> "";
      case KEY -> "key:" + key;
      case TEAM -> principal.teamId() != null ? "team:" + principal.teamId() : "key:" + key;
    };
  }

  /** A usable entry under {@code key}: there, of the right kind, and young enough. */
  CachedAnswer read(String key, CacheControls controls, boolean stream) {
    byte[] bytes = store.get(key);
    CachedAnswer entry = bytes == null ? null : CachedAnswer.decode(bytes);
    if (entry == null || entry.stream() != stream) {
      return null;
    }
    Duration maxAge = controls.maxAge();
    if (maxAge != null && clockMillis.getAsLong() - entry.storedAtMillis() > maxAge.toMillis()) {
      return null;
    }
    return entry;
  }

  /**
   * Stores what {@code answer} builds: nothing when it builds null (an empty answer), when it is
   * too large, or when the request said {@code no-store} or a zero {@code ttl}.
   */
  void store(String key, CacheControls controls, Supplier<CachedAnswer> answer) {
    storeAll(
        controls,
        () -> {
          CachedAnswer entry = answer.get();
          return entry == null ? Map.of() : Map.of(key, entry);
        });
  }

  /** {@link #store} for several entries built at once (an embedding's items). */
  void storeAll(CacheControls controls, Supplier<Map<String, CachedAnswer>> entries) {
    Duration ttl = controls.ttl() != null ? controls.ttl() : settings.ttl();
    if (controls.noStore() || ttl.isZero()) {
      return;
    }
    try {
      entries
          .get()
          .forEach(
              (key, entry) -> {
                if (entry.size() <= MAX_ENTRY_BYTES) {
                  store.put(key, entry.encode(), ttl);
                }
              });
    } catch (RuntimeException e) {
      // the answer goes out all the same
      LOG.log(Level.WARNING, "An answer could not be stored in the cache", e);
    }
  }

  long now() {
    return clockMillis.getAsLong();
  }

  public CacheSettings settings() {
    return settings;
  }

  /** Where the entries are, for {@code /cache/ping} and {@code /cache/delete}. */
  public CacheStore store() {
    return store;
  }
}
