/**
 * What listeners observe (metrics, health, the access log, the live feed): the {@link
 * io.feathergate.core.events.GatewayListener} interface, its fan-out, and the {@link
 * io.feathergate.core.events.RequestRecord} of a finished request. Listeners never block.
 */
package io.feathergate.core.events;
