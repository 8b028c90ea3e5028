package io.feathergate.transport;

import java.util.Map;
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

  /** Exchange to whether it is multiplexed (then silence is timed here, not by its socket). */
  private final Map<UpstreamExchange, Boolean> watched = new ConcurrentHashMap<>();

  void watch(UpstreamExchange exchange, boolean multiplexed) {
    watched.put(exchange, multiplexed);
  }

  void forget(UpstreamExchange exchange) {
    watched.remove(exchange);
  }

  /** Runs on a periodic task, which would stop for good at the first exception it let through. */
  void sweep() {
    long now = System.nanoTime();
    watched.forEach(
        (exchange, multiplexed) -> {
          try {
            exchange.checkTimers(now, multiplexed);
          } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "timing out an upstream exchange failed", e);
          }
        });
  }
}
