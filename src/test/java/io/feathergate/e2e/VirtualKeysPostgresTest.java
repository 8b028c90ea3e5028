package io.feathergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The virtual-key suite against a real PostgreSQL, reached by LiteLLM's {@code DATABASE_URL}. */
class VirtualKeysPostgresTest extends VirtualKeysE2ETest {
  static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  String databaseUrl() {
    return postgres.databaseUrl();
  }

  @Test
  void whileTheDatabaseIsDownKnownKeysAreServedAndTheirSpendIsWrittenWhenItReturns()
      throws Exception {
    String key = generate("{\"max_budget\":100}").get("key").asText();
    assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);
    postgres.stop();
    try {
      for (int i = 0; i < 5; i++) {
        assertThat(chat(key, "cheap").statusCode()).isEqualTo(200);
      }
      // a key the gateway has not seen cannot be checked: 503, not a false 401
      HttpResponse<String> unknown = chat("sk-not-seen-before-000000", "cheap");
      assertThat(unknown.statusCode()).isEqualTo(503);
      assertThat(unknown.body()).doesNotContain("127.0.0.1").doesNotContain("Exception");
      JsonNode health =
          waitFor(
              () -> json(get("/health", MASTER)),
              h -> h.at("/key_database/status").asText().equals("unhealthy"));
      assertThat(health.at("/key_database/pending_spend_log_rows").asLong()).isPositive();
      assertThat(json(get("/health/readiness", MASTER)).get("db").asText())
          .isEqualTo("disconnected");
    } finally {
      postgres.begin();
    }
    JsonNode logs =
        waitFor(
            () -> json(get("/spend/logs?api_key=" + encode(key), MASTER)),
            rows -> rows.isArray() && rows.size() == 6);
    assertThat(logs).hasSize(6);
    assertThat(json(get("/health", MASTER)).at("/key_database/status").asText())
        .isEqualTo("healthy");
  }

  /** Polls until {@code done} holds, for at most 30 seconds. */
  private static <T> T waitFor(Callable<T> read, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    T value = read.call();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      value = read.call();
    }
    return value;
  }
}
