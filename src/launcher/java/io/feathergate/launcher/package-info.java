/**
 * The executable WAR's entry point: options, the cache the webapp is unpacked into, and the class
 * loader over the embedded Jetty jars. JDK only: it runs before anything else is on the class path.
 */
package io.feathergate.launcher;
