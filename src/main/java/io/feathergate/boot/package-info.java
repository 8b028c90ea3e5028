/**
 * The composition root: reads the config, builds the provider registry from the provider table, the
 * transport, metrics, health and the chat service, publishes them to the servlet context, and
 * closes them all on undeploy. Everything may be used here; nothing uses this package.
 */
package io.feathergate.boot;
