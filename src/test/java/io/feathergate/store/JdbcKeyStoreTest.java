package io.feathergate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.Secret;
import io.feathergate.core.keys.KeyStore;
import io.feathergate.core.keys.SpendLogRow;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcKeyStoreTest {

  @Test
  void anOverLongValueIsCutToItsColumnRatherThanFailingItsWholeBatch() throws Exception {
    try (Database database =
        new Database(
            Secret.ofNullable("jdbc:h2:mem:cut-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1"),
            Files.createTempDirectory("feathergate-store-"),
            null)) {
      JdbcKeyStore store = new JdbcKeyStore(database);
      String longModel = "m".repeat(300);
      SpendLogRow row =
          new SpendLogRow(
              "r1",
              "/v1/chat/completions",
              "h",
              0.5,
              1,
              2,
              3,
              Instant.EPOCH,
              Instant.EPOCH,
              longModel,
              "d",
              "g",
              "openai",
              null,
              null,
              "success",
              200,
              false);
      SpendLogRow ordinary =
          new SpendLogRow(
              "r2",
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
      store.insertSpendLogs(List.of(row, ordinary));
      List<SpendLogRow> saved =
          store.spendLogs(new KeyStore.SpendLogFilter("h", null, null, null, null, 10));
      assertThat(saved).extracting(SpendLogRow::requestId).containsExactly("r1", "r2");
      assertThat(saved.get(0).model()).hasSize(255);
    }
  }
}
