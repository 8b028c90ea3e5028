package io.feathergate.core;

import java.time.Instant;

/** Whether the replicas' shared Redis answers, for {@code /health}, the status page and metrics. */
public interface RedisStatus {
  /** Where it is, never with its password. */
  String where();

  /** Whether the last command answered. */
  boolean up();

  /** Since when it has been up, or down. */
  Instant since();

  /** Why the last command failed, while down; else null. */
  String problem();

  /** Commands that failed or were skipped while it was away, since the start. */
  long failures();

  /** Updates dropped because Redis was slower than the traffic. */
  long droppedUpdates();
}
