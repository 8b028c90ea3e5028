package io.feathergate.config;

import java.time.Duration;

/**
 * What {@code litellm_settings} contributes to every deployment.
 *
 * @param requestTimeout {@code request_timeout}, or null when not set (or not usable)
 * @param dropParams {@code drop_params}, the default of each deployment's own
 * @param prometheus whether a callback list names {@code prometheus}
 */
record LitellmSettings(Duration requestTimeout, boolean dropParams, boolean prometheus) {}
