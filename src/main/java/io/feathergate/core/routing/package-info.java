/**
 * Which deployment an attempt goes to: the directory of model groups, the {@link
 * io.feathergate.core.routing.AttemptPlan} an exchange follows (first route, next route after a
 * failure), and deployment health from probes and from real traffic.
 */
package io.feathergate.core.routing;
