package io.feathergate.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import org.junit.jupiter.api.Test;

class ClientCredentialsTest {

  static ObjectNode body() throws Exception {
    return (ObjectNode)
        Json.MAPPER.readTree(
            "{\"model\":\"m\",\"messages\":[],\"api_key\":\"sk-x\",\"extra_headers\":{\"a\":\"b\"},"
                + "\"temperature\":0.2}");
  }

  @Test
  void refusedUnlessAllowed() throws Exception {
    assertThatThrownBy(() -> ClientCredentials.check(body(), false))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo("api_key");
            });
  }

  @Test
  void allowedButNeverForwarded() throws Exception {
    ObjectNode body = body();
    ClientCredentials.check(body, true);
    assertThat(body.fieldNames()).toIterable().containsExactly("model", "messages", "temperature");
  }
}
