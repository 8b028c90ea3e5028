/**
 * Which deployment an attempt goes to: the directory of model groups and aliases, the {@link
 * io.feathergate.core.routing.Router} (strategies within order tiers, per-deployment limits on
 * {@link io.feathergate.core.routing.DeploymentCounters}, cooldowns) and the {@link
 * io.feathergate.core.routing.AttemptPlan} of each request it makes (first route, then retries,
 * resends and fallbacks after a failure, with their waits), and deployment health from probes and
 * from real traffic.
 */
package io.feathergate.core.routing;
