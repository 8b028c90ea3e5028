package io.feathergate.config;

/**
 * A {@code litellm_params.model} string split the way LiteLLM splits it.
 *
 * @param provider the provider key ({@code openai}, {@code anthropic}, ...)
 * @param upstreamModel the model name the provider receives; may contain {@code *}
 */
record ProviderModel(String provider, String upstreamModel) {}
