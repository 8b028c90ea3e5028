package io.feathergate.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.feathergate.core.errors.GatewayException;
import org.junit.jupiter.api.Test;

class ModelNamesTest {

  @Test
  void realModelNamesPass() {
    for (String name :
        new String[] {
          "gemini-2.5-flash", "gemini-2.0-flash-exp", "learnlm-1.5-pro-experimental", "a_b.c-d"
        }) {
      assertThat(ModelNames.pathSegment(name, "models")).isEqualTo(name);
    }
    assertThat(ModelNames.pathSegment("tunedModels/my-model-7", "models", "tunedModels"))
        .isEqualTo("tunedModels/my-model-7");
  }

  @Test
  void namesThatCouldLeaveThePathAreA400NamingTheModel() {
    for (String name :
        new String[] {
          "",
          ".",
          "..",
          "../x",
          "%2e%2e",
          "a/b",
          "models/../x",
          "models/",
          "x?key=1",
          "x#y",
          "x@h",
          "x:generateContent",
          "a b",
          "a\u0000b",
          "-leading-dash"
        }) {
      assertThatThrownBy(() -> ModelNames.pathSegment(name, "models"))
          .as(name)
          .isInstanceOfSatisfying(
              GatewayException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.param()).isEqualTo("model");
                assertThat(e.getMessage()).contains("'" + name + "'");
              });
    }
  }
}
