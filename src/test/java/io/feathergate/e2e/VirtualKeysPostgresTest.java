package io.feathergate.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
