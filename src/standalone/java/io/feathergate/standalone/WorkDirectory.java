package io.feathergate.standalone;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where Jetty unpacks the webapp. One process at a time owns {@code work/} in the launcher's cache
 * (held by a file lock until the JVM exits) and finds the WAR already unpacked there on its next
 * start; a second process running the same WAR meanwhile gets a private directory that Jetty
 * deletes when it stops.
 *
 * @param path the directory to hand to Jetty
 * @param persistent whether Jetty should keep it (and reuse its unpacked webapp) across starts
 */
record WorkDirectory(Path path, boolean persistent) {
  /** Kept reachable on purpose: a collected channel is closed by its cleaner, dropping the lock. */
  @SuppressWarnings("UnusedVariable") // written, never read: its only job is to stay reachable
  private static FileLock held;

  static WorkDirectory claim(Path cache) throws IOException {
    FileChannel channel =
        FileChannel.open(
            cache.resolve("work.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this JVM already holds it (a second server in one process, as in tests)
    }
    if (lock != null) {
      // never released: the OS drops the lock when this process ends, however it ends
      held = lock;
      return new WorkDirectory(cache.resolve("work"), true);
    }
    channel.close();
    return new WorkDirectory(Files.createTempDirectory(cache, "work-"), false);
  }
}
