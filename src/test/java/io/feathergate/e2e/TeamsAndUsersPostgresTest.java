package io.feathergate.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The teams-and-users suite against a real PostgreSQL, reached by LiteLLM's {@code DATABASE_URL}.
 */
class TeamsAndUsersPostgresTest extends TeamsAndUsersE2ETest {
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
