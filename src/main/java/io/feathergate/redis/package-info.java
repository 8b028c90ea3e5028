/**
 * What replicas share through Redis: {@code SharedState} holds the connection ({@code RedisLink},
 * with its breaker), the counters of the router and the keys ({@code SharedCounters}, counted by
 * the Lua {@code CounterScripts}), and the channel that carries cooldowns and key changes ({@code
 * SharedEvents}). Implements core's ports ({@code DeploymentCounters}, {@code RedisStatus}); only
 * {@code boot} uses it. Nothing here runs on an I/O reactor thread.
 */
package io.feathergate.redis;
