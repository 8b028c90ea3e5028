/**
 * AWS Bedrock's Converse and ConverseStream APIs ({@code bedrock/}, {@code bedrock/converse/}):
 * OpenAI chat requests become Converse requests (system, turns, images, documents, tools, tool
 * choice, inference settings, guardrails and model-specific fields), and Converse answers, event
 * streams and errors come back in OpenAI's shape. Pure: the request names its SigV4 signature as an
 * {@link io.feathergate.core.spi.UpstreamAuth} for the credentials component to compute.
 */
package io.feathergate.provider.bedrock;
