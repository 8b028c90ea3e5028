/**
 * Virtual keys, budgets and spend: who may call what, how much they have spent, and what a call
 * cost. The database behind them ({@link io.feathergate.core.keys.KeyStore}) is never on the
 * request path: keys are read through a cache, spend is counted in memory and written in batches.
 */
package io.feathergate.core.keys;
