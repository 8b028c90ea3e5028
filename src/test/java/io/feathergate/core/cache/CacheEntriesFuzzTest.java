package io.feathergate.core.cache;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Entries as a shared Redis hands them back, fuzzed: another writer's value under a key, or bytes
 * cut short, either read as an entry or as none (a miss); anything thrown is a crash. An entry read
 * back encodes to the same bytes.
 */
class CacheEntriesFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void entries(byte[] bytes) {
    CachedAnswer entry = CachedAnswer.decode(bytes);
    if (entry == null) {
      return;
    }
    CachedAnswer again = CachedAnswer.decode(entry.encode());
    if (again == null
        || again.stream() != entry.stream()
        || !Arrays.equals(again.body(), entry.body())
        || !again.chunks().equals(entry.chunks())) {
      throw new IllegalStateException("an entry read back does not read the same again");
    }
  }

  /**
   * The long run of {@link #entries}, for the benchmark's {@code fuzz} part: ten million inputs (in
   * a plain test run, like every fuzz test, it replays its kept inputs only).
   */
  @FuzzTest(maxDuration = "2h", maxExecutions = 10_000_000)
  void entriesLongRun(byte[] bytes) {
    entries(bytes);
  }
}
