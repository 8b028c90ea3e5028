/**
 * Azure OpenAI ({@code azure/}) and Azure AI Foundry ({@code azure_ai/}): OpenAI's wire at Azure's
 * URLs (the dated {@code /openai/deployments/...?api-version=} family and the {@code /openai/v1/}
 * family), Azure's key header or an Entra ID token, and Azure's stream quirks normalised to the
 * chunks OpenAI clients expect. Pure: no I/O, clock, randomness or environment; an Entra token is
 * named as an {@link io.feathergate.core.spi.UpstreamAuth} for the credentials component to obtain.
 */
package io.feathergate.provider.azure;
