package io.feathergate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.keys.KeyStore.StoreException;
import org.junit.jupiter.api.Test;

class JdbcUrlTest {

  @Test
  void litellmsPostgresqlUrlBecomesAJdbcUrlAndItsCredentials() {
    Database.JdbcUrl url =
        Database.JdbcUrl.of("postgresql://fg%40ops:p%3Ass@db.internal:5433/keys?sslmode=require");
    assertThat(url.url()).isEqualTo("jdbc:postgresql://db.internal:5433/keys?sslmode=require");
    assertThat(url.user()).isEqualTo("fg@ops");
    assertThat(url.password()).isEqualTo("p:ss");
    // never printed with its password
    assertThat(url.toString()).doesNotContain("p:ss").doesNotContain("p%3Ass");
  }

  @Test
  void aUrlWithoutPortOrPasswordAndTheShortSchemeWork() {
    Database.JdbcUrl url = Database.JdbcUrl.of("postgres://fg@db/keys");
    assertThat(url.url()).isEqualTo("jdbc:postgresql://db/keys");
    assertThat(url.user()).isEqualTo("fg");
    assertThat(url.password()).isNull();
    assertThat(Database.JdbcUrl.of("postgresql:///keys").url())
        .isEqualTo("jdbc:postgresql://localhost/keys");
  }

  @Test
  void aJdbcUrlIsTakenAsItIs() {
    Database.JdbcUrl url = Database.JdbcUrl.of(" jdbc:h2:mem:x ");
    assertThat(url.url()).isEqualTo("jdbc:h2:mem:x");
    assertThat(url.user()).isNull();
  }

  @Test
  void otherSchemesAndNonUrlsAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> Database.JdbcUrl.of("mysql://root:secret@db/keys"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("postgresql://")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> Database.JdbcUrl.of("not a url at all"))
        .isInstanceOf(StoreException.class)
        .hasMessageNotContaining("at all");
  }
}
