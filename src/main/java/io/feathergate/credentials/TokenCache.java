package io.feathergate.credentials;

import io.feathergate.core.spi.UpstreamAuth.TokenGrant;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * One token per grant, used until its refresh time and then fetched again, once: every caller that
 * arrives while a fetch is under way gets that same fetch. A failed fetch is not kept, so the next
 * caller tries again; a token the upstream refused (401) is dropped by {@link #invalidate}.
 */
final class TokenCache {
  private final Function<TokenGrant, CompletableFuture<AccessToken>> fetcher;
  private final Clock clock;
  private final ConcurrentMap<TokenGrant, Slot> slots = new ConcurrentHashMap<>();

  private static final class Slot {
    CompletableFuture<AccessToken> current;
    int fetches;
  }

  TokenCache(Function<TokenGrant, CompletableFuture<AccessToken>> fetcher, Clock clock) {
    this.fetcher = fetcher;
    this.clock = clock;
  }

  /** The current token of {@code grant}: at once when it is fresh, else the one fetch for it. */
  CompletableFuture<AccessToken> get(TokenGrant grant) {
    Slot slot = slots.computeIfAbsent(grant, g -> new Slot());
    synchronized (slot) {
      CompletableFuture<AccessToken> current = slot.current;
      if (current != null) {
        if (!current.isDone()) {
          return current;
        }
        AccessToken token = current.isCompletedExceptionally() ? null : current.getNow(null);
        if (token != null && clock.instant().isBefore(token.refreshAt())) {
          return current;
        }
      }
      slot.fetches++;
      slot.current = fetcher.apply(grant);
      return slot.current;
    }
  }

  /** Forgets {@code token} when it is still the current one, so the next caller fetches anew. */
  void invalidate(TokenGrant grant, AccessToken token) {
    Slot slot = slots.get(grant);
    if (slot == null) {
      return;
    }
    synchronized (slot) {
      CompletableFuture<AccessToken> current = slot.current;
      if (current != null
          && current.isDone()
          && !current.isCompletedExceptionally()
          && Objects.equals(current.getNow(null), token)) {
        slot.current = null;
      }
    }
  }

  /** How many fetches {@code grant} caused so far. */
  int fetches(TokenGrant grant) {
    Slot slot = slots.get(grant);
    if (slot == null) {
      return 0;
    }
    synchronized (slot) {
      return slot.fetches;
    }
  }
}
