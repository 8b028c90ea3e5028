/**
 * Google Vertex AI ({@code vertex_ai/}): Gemini models through the Gemini translator at Vertex's
 * {@code generateContent} URLs, and Claude through the Anthropic translator at {@code rawPredict} /
 * {@code streamRawPredict}, with a service account's OAuth token named as an {@link
 * io.feathergate.core.spi.UpstreamAuth} for the credentials component to obtain. Pure.
 */
package io.feathergate.provider.vertex;
