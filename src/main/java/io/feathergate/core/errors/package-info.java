/**
 * The gateway's one error family, {@link io.feathergate.core.errors.GatewayException} (status,
 * OpenAI type, message, param, code, retryable, headers), and the {@link
 * io.feathergate.core.errors.SecretRedactor} every error passes before it reaches a client. Knows
 * only the model at core's root.
 */
package io.feathergate.core.errors;
