package io.feathergate.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.errors.GatewayException;
import io.feathergate.wire.Json;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnsupportedParamsTest {
  private static final Set<String> SUPPORTED = Set.of("model", "messages", "temperature");

  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  @Test
  void anUnsupportedOpenAiParameterIsA400NamingIt() throws Exception {
    ObjectNode body = body("{\"model\":\"m\",\"messages\":[],\"logit_bias\":{\"1\":2},\"n\":2}");
    assertThatThrownBy(() -> UnsupportedParams.enforce(body, "Anthropic", SUPPORTED, false))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo("logit_bias");
              assertThat(e.getMessage())
                  .contains("'logit_bias'")
                  .contains("n")
                  .contains("drop_params");
            });
  }

  @Test
  void withDropParamsTheyAreRemovedAndTheRestIsKept() throws Exception {
    ObjectNode body =
        body("{\"model\":\"m\",\"messages\":[],\"logit_bias\":{},\"top_k\":5,\"temperature\":1}");
    UnsupportedParams.enforce(body, "Anthropic", SUPPORTED, true);
    assertThat(body.has("logit_bias")).isFalse();
    assertThat(body.get("top_k").asInt()).isEqualTo(5); // not an OpenAI parameter: the provider's
    assertThat(body.get("temperature").asInt()).isEqualTo(1);
  }

  @Test
  void nullValuesAreNotJudged() throws Exception {
    ObjectNode body = body("{\"model\":\"m\",\"messages\":[],\"logit_bias\":null}");
    UnsupportedParams.enforce(body, "Anthropic", SUPPORTED, false);
    assertThat(body.has("logit_bias")).isTrue();
  }
}
