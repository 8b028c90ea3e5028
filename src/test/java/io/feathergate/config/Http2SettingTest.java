package io.feathergate.config;

import static io.feathergate.config.Configs.group;
import static io.feathergate.config.Configs.load;
import static io.feathergate.config.Configs.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.feathergate.core.GatewayConfig;
import io.feathergate.core.Http2Policy;
import org.junit.jupiter.api.Test;

/** {@code http2} and {@code http2_max_streams} in {@code litellm_params}. */
class Http2SettingTest {

  @Test
  void providersOwnEndpointsGetHttp2AndAConfiguredApiBaseKeepsHttp1() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: public
                litellm_params: {model: gpt-4o, api_key: sk-1}
              - model_name: local
                litellm_params: {model: openai/llama, api_base: "http://127.0.0.1:8000/v1"}
            """);
    assertThat(group(config, "public").http2()).isEqualTo(Http2Policy.ON);
    assertThat(group(config, "local").http2()).isEqualTo(Http2Policy.OFF);
    assertThat(messages(config)).isEmpty();
  }

  @Test
  void aDeploymentMayTurnItOnOrOffAndLimitItsStreams() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: h2c
                litellm_params:
                  model: openai/llama
                  api_base: "http://127.0.0.1:8000/v1"
                  http2: true
                  http2_max_streams: 500
              - model_name: h1
                litellm_params: {model: gpt-4o, http2: "false"}
            """);
    assertThat(group(config, "h2c").http2()).isEqualTo(new Http2Policy(true, 500));
    assertThat(group(config, "h1").http2().enabled()).isFalse();
    assertThat(messages(config)).isEmpty();
  }

  @Test
  void aStreamLimitBelowOneIsAnError() {
    GatewayConfig config =
        load(
            """
            model_list:
              - model_name: m
                litellm_params: {model: gpt-4o, http2_max_streams: 0}
            """);
    assertThat(config.errors())
        .singleElement()
        .asString()
        .contains("model_list[0].litellm_params.http2_max_streams")
        .contains("at least 1");
  }
}
