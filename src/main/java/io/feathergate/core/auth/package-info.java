/**
 * Who is calling: the {@link io.feathergate.core.auth.Principal} that travels with a request from
 * the edge to limits, metrics and logs, and the {@link io.feathergate.core.auth.Authenticator}s
 * that produce it, possibly asynchronously.
 */
package io.feathergate.core.auth;
