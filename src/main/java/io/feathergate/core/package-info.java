/**
 * The gateway itself, free of servlets, Jersey and HttpClient, in rooms: {@code spi} (what
 * providers and the transport implement), {@code exchange} (one request's attempts), {@code
 * routing} (which deployment an attempt goes to), {@code errors}, {@code events} (what listeners
 * observe) and {@code auth} (who is calling). This root holds the model every room shares: the
 * parsed {@link io.feathergate.core.GatewayConfig}, its {@link io.feathergate.core.Deployment}s and
 * {@link io.feathergate.core.GatewaySettings}, and {@link io.feathergate.core.Secret}s; it knows no
 * room.
 */
package io.feathergate.core;
