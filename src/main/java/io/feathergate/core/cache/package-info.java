/**
 * The response cache: a request's entry key ({@link io.feathergate.core.cache.CacheKeys}), its
 * controls ({@link io.feathergate.core.cache.CacheControls}), what an entry holds ({@link
 * io.feathergate.core.cache.CachedAnswer}) and where it is kept ({@link
 * io.feathergate.core.cache.CacheStore}: in process, or in the Redis the replicas share). {@link
 * io.feathergate.core.cache.ResponseCache} opens one {@link io.feathergate.core.cache.CacheTicket}
 * per request the cache serves: a hit to replay, or the collector of the answer to store.
 */
package io.feathergate.core.cache;
