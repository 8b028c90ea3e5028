/**
 * The gateway itself, free of servlets, Jersey and HttpClient: the chat service and its exchange (a
 * loop of attempts an {@link io.feathergate.core.AttemptPlan} drives), deployments and their
 * directory, the provider table and registry, the SPI that providers ({@link
 * io.feathergate.core.ProviderAdapter}) and the transport ({@link
 * io.feathergate.core.UpstreamClient}) implement, the error family ({@link
 * io.feathergate.core.GatewayException}), redaction of secrets, and the events listeners observe.
 */
package io.feathergate.core;
