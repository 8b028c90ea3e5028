package io.feathergate.config;

import java.time.Duration;

/**
 * The timeouts a deployment gets when its {@code litellm_params} set none.
 *
 * @param timeout {@code router_settings.timeout}, else {@code litellm_settings.request_timeout},
 *     else {@link #DEFAULT_TIMEOUT}
 * @param streamTimeout {@code router_settings.stream_timeout}, or null to use each deployment's own
 *     timeout
 */
record TimeoutDefaults(Duration timeout, Duration streamTimeout) {
  /**
   * LiteLLM's own default is 6000 s, which lets a silent upstream hold a connection for over an
   * hour (#7001); ten minutes still covers long reasoning calls.
   */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
}
