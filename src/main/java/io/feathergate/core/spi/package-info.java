/**
 * What providers and the transport implement, and what they are handed: the client's validated
 * {@link io.feathergate.core.spi.ChatRequest}, the {@link io.feathergate.core.spi.Route} of an
 * attempt, {@link io.feathergate.core.spi.ProviderAdapter} and its {@link
 * io.feathergate.core.spi.StreamDecoder}, the {@link io.feathergate.core.spi.UpstreamClient} and
 * its listener, and the provider table ({@link io.feathergate.core.spi.ProviderTable}, one row per
 * provider prefix). Knows nothing of how an exchange runs.
 */
package io.feathergate.core.spi;
