package io.feathergate.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The exchanges that have a deadline or share an HTTP/2 connection, looked over a few times a
 * second for a passed deadline or a silent stream. One sweep instead of a timer task per call: a
 * task per call wakes the timer thread on every call and makes every call take the timer queue's
 * lock.
 */
final class ExchangeTimers {
  private static final Logger LOG = Logger.getLogger(ExchangeTimers.class.getName());

  private final Set<UpstreamExchange> watched = ConcurrentHashMap.newKeySet();

  void watch(UpstreamExchange exchange) {
    watched.add(exchange);
  }

  void forget(UpstreamExchange exchange) {
    watched.remove(exchange);
  }

  /** Runs on a periodic task, which would stop for good at the first exception it let through. */
  void sweep() {
    long now = System.nanoTime();
    watched.forEach(
        exchange -> {
          try {
            exchange.checkTimers(now);
          } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "timing out an upstream exchange failed", e);
          }
        });
  }
}
