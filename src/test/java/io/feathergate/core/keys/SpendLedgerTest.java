package io.feathergate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.feathergate.core.auth.VirtualKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpendLedgerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
  private final RecordingStore store = new RecordingStore();
  private final StoreHealth health = new StoreHealth(clock);

  static VirtualKey key(String hash, Double maxBudget, String duration, Instant resetAt) {
    return new VirtualKey(
        hash,
        "sk-...abcd",
        null,
        null,
        null,
        List.of(),
        maxBudget,
        null,
        duration,
        resetAt,
        0,
        null,
        false,
        null,
        null,
        null,
        "{}",
        Map.of(),
        Instant.EPOCH,
        null,
        Instant.EPOCH,
        null);
  }

  static SpendLogRow row(String id) {
    return new SpendLogRow(
        id,
        "/v1/chat/completions",
        "h",
        0.5,
        1,
        2,
        3,
        Instant.EPOCH,
        Instant.EPOCH,
        "m",
        "d",
        "g",
        "openai",
        null,
        null,
        "success",
        200,
        false);
  }

  @Test
  void aBudgetResetsWhenItsWindowEndsNotLater() {
    SpendLedger ledger = new SpendLedger(store, clock, health, 10);
    KeySpend spend = ledger.spendOf(key("h", 1.0, "1h", Instant.parse("2026-12-02T13:00:00Z")));
    assertThat(spend.tryReserve(clock.instant(), 1.0, 0.2)).isZero();
    spend.settle(clock.instant(), 0.2, 1.0);
    assertThat(spend.tryReserve(clock.instant(), 1.0, 0.2)).isLessThan(0);
    clock.now = Instant.parse("2026-12-02T12:59:59.999Z");
    assertThat(spend.tryReserve(clock.instant(), 1.0, 0.2)).isLessThan(0);
    clock.now = Instant.parse("2026-12-02T13:00:00Z");
    assertThat(spend.tryReserve(clock.instant(), 1.0, 0.2)).isZero();
  }

  @Test
  void reservationsStopNewCallsUntilTheyAreSettled() {
    SpendLedger ledger = new SpendLedger(store, clock, health, 10);
    KeySpend spend = ledger.spendOf(key("h", 1.0, null, null));
    assertThat(spend.tryReserve(clock.instant(), 1.0, 0.5)).isZero();
    assertThat(spend.tryReserve(clock.instant(), 1.0, 0.5)).isZero();
    assertThat(spend.tryReserve(clock.instant(), 1.0, 0.5)).isLessThan(0);
    spend.settle(clock.instant(), 0.5, 0.01);
    spend.settle(clock.instant(), 0.5, 0.01);
    assertThat(spend.reserved()).isZero();
    assertThat(spend.tryReserve(clock.instant(), 1.0, 0.5)).isCloseTo(0.02, offset(1e-12));
  }

  @Test
  void whatTheDatabaseCannotTakeWaitsBoundedAndIsWrittenWhenItReturns() {
    SpendLedger ledger = new SpendLedger(store, clock, health, 3);
    KeySpend spend = ledger.spendOf(key("h", null, null, null));
    spend.settle(clock.instant(), 0, 0.25);
    for (int i = 0; i < 5; i++) {
      ledger.log(row("r" + i));
    }
    assertThat(ledger.droppedRows()).isEqualTo(2);
    store.down = true;
    assertThat(ledger.flush()).isFalse();
    assertThat(health.up()).isFalse();
    assertThat(health.problem()).contains("down");
    assertThat(ledger.pendingRows()).isEqualTo(3);
    store.down = false;
    assertThat(ledger.flush()).isTrue();
    assertThat(health.up()).isTrue();
    assertThat(store.rows).extracting(SpendLogRow::requestId).containsExactly("r0", "r1", "r2");
    assertThat(store.deltas).singleElement().satisfies(d -> assertThat(d.amount()).isEqualTo(0.25));
    // nothing is written twice
    assertThat(ledger.flush()).isTrue();
    assertThat(store.deltas).hasSize(1);
  }

  @Test
  void aKeyReadAgainKeepsWhatIsNotWrittenYet() {
    SpendLedger ledger = new SpendLedger(store, clock, health, 10);
    VirtualKey key = key("h", 5.0, null, null);
    KeySpend spend = ledger.spendOf(key);
    spend.settle(clock.instant(), 0, 1.0);
    // another replica spent 2 and this one's 1 is not written yet
    VirtualKey reread = key("h", 5.0, null, null);
    reread =
        new VirtualKey(
            reread.tokenHash(),
            reread.keyName(),
            null,
            null,
            null,
            List.of(),
            5.0,
            null,
            null,
            null,
            2.0,
            null,
            false,
            null,
            null,
            null,
            "{}",
            Map.of(),
            Instant.EPOCH,
            null,
            Instant.EPOCH,
            null);
    ledger.refreshed(reread);
    assertThat(spend.spend(clock.instant())).isCloseTo(3.0, offset(1e-12));
    ledger.forget("key:h");
    assertThat(ledger.spendOf(key).spend(clock.instant())).isZero();
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A store that records writes and can be made to fail. */
  static final class RecordingStore implements KeyStore {
    volatile boolean down;
    final List<SpendDelta> deltas = new ArrayList<>();
    final List<SpendLogRow> rows = new ArrayList<>();

    private void check() {
      if (down) {
        throw new StoreException("the database is down", null);
      }
    }

    @Override
    public Optional<VirtualKey> find(String tokenHash) {
      check();
      return Optional.empty();
    }

    @Override
    public Optional<VirtualKey> findByAlias(String keyAlias) {
      return Optional.empty();
    }

    @Override
    public void insert(VirtualKey key) {}

    @Override
    public boolean update(VirtualKey key) {
      return false;
    }

    @Override
    public boolean rehash(String oldTokenHash, String newTokenHash, String name, Instant at) {
      return false;
    }

    @Override
    public List<String> delete(Collection<String> tokenHashes) {
      return List.of();
    }

    @Override
    public KeyPage list(KeyFilter filter, int page, int size) {
      return new KeyPage(List.of(), 0);
    }

    @Override
    public void addSpend(Collection<SpendDelta> added) {
      check();
      deltas.addAll(added);
    }

    @Override
    public void insertSpendLogs(List<SpendLogRow> added) {
      check();
      rows.addAll(added);
    }

    @Override
    public List<SpendLogRow> spendLogs(SpendLogFilter filter) {
      return rows;
    }

    @Override
    public void ping() {
      check();
    }

    @Override
    public Optional<io.feathergate.core.auth.Team> findTeam(String teamId) {
      return Optional.empty();
    }

    @Override
    public void saveTeam(io.feathergate.core.auth.Team team, boolean create) {}

    @Override
    public List<String> deleteTeams(Collection<String> teamIds) {
      return List.of();
    }

    @Override
    public List<io.feathergate.core.auth.Team> listTeams() {
      return List.of();
    }

    @Override
    public Optional<io.feathergate.core.auth.User> findUser(String userId) {
      return Optional.empty();
    }

    @Override
    public void saveUser(io.feathergate.core.auth.User user, boolean create) {}

    @Override
    public List<String> deleteUsers(Collection<String> userIds) {
      return List.of();
    }

    @Override
    public List<io.feathergate.core.auth.User> listUsers(int page, int size) {
      return List.of();
    }

    @Override
    public List<SpendTotal> spendReport(SpendGrouping grouping, Instant from, Instant to) {
      return List.of();
    }
  }
}
