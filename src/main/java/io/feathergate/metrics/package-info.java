/**
 * LiteLLM's Prometheus metrics (same names, labels and units) as a core event listener. Uses core
 * and the Prometheus client only.
 */
package io.feathergate.metrics;
