package io.feathergate.core.keys;

import io.feathergate.core.Availability;
import java.time.Clock;

/** Whether the key database answered the last time it was asked. */
public final class StoreHealth extends Availability {
  public StoreHealth(Clock clock) {
    super(
        clock,
        "the key database",
        "known keys are served from memory, spend is kept in memory and written when it returns");
  }
}
