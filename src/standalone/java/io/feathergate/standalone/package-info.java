/**
 * The embedded Jetty server of {@code java -jar}: connectors, the webapp deployment, console
 * logging and JSON answers for errors Jetty raises before the webapp sees a request. Loaded only by
 * the launcher, never by a container.
 */
package io.feathergate.standalone;
