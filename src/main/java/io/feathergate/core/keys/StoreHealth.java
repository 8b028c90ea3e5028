package io.feathergate.core.keys;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether the key database answered the last time it was asked, for {@code /health}, the status
 * page and {@code /metrics}. An outage is logged once, when it begins, and once when it ends.
 */
public final class StoreHealth {
  private final Clock clock;
  private volatile boolean up = true;
  private volatile String problem;
  private volatile Instant since;

  public StoreHealth(Clock clock) {
    this.clock = clock;
    this.since = clock.instant();
  }

  public boolean up() {
    return up;
  }

  /** What went wrong the last time, or null while it is up. */
  public String problem() {
    return problem;
  }

  /** Since when it has been up, or down. */
  public Instant since() {
    return since;
  }

  void succeeded() {
    if (!up) {
      synchronized (this) {
        if (!up) {
          up = true;
          problem = null;
          since = clock.instant();
          java.util.logging.Logger.getLogger(StoreHealth.class.getName())
              .info("the key database is available again");
        }
      }
    }
  }

  public void failed(RuntimeException e) {
    String message = e.getMessage() == null ? "the database did not answer" : e.getMessage();
    if (up) {
      synchronized (this) {
        if (up) {
          up = false;
          since = clock.instant();
          SpendLedger.logOutage(e);
        }
      }
    }
    problem = message;
  }
}
