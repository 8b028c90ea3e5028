package io.feathergate.core;

import java.time.Clock;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Whether something the gateway depends on but can work without (the key database, the replicas'
 * Redis) answered the last time it was asked, since when, and why not, for {@code /health}, the
 * status page and {@code /metrics}. An outage is logged once when it begins and once when it ends.
 */
public class Availability {
  private static final Logger LOG = Logger.getLogger("io.feathergate");

  private final Clock clock;
  private final String name;
  private final String meanwhile;
  private volatile boolean up = true;
  private volatile String problem;
  private volatile Instant since;

  /**
   * @param name what it is, for the log: "the key database"
   * @param meanwhile what the gateway does while it is away, for the log
   */
  public Availability(Clock clock, String name, String meanwhile) {
    this.clock = clock;
    this.name = name;
    this.meanwhile = meanwhile;
    this.since = clock.instant();
  }

  public final boolean up() {
    return up;
  }

  /** What went wrong the last time, or null while it is up. */
  public final String problem() {
    return problem;
  }

  /** Since when it has been up, or down. */
  public final Instant since() {
    return since;
  }

  public final void succeeded() {
    if (!up) {
      synchronized (this) {
        if (!up) {
          up = true;
          problem = null;
          since = clock.instant();
          LOG.info(name + " is available again");
        }
      }
    }
  }

  public final void failed(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? "no answer" : cause.getMessage();
    problem = message;
    if (up) {
      synchronized (this) {
        if (up) {
          up = false;
          since = clock.instant();
          LOG.warning(name + " is unavailable; " + meanwhile + ": " + message);
        }
      }
    }
  }
}
