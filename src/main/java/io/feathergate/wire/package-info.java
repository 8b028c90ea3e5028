/**
 * The one Jackson setup, OpenAI's error body, and the JSON helpers the hot path shares (a
 * non-allocating object check, writing a body with one field replaced). Jackson and the JDK only.
 */
package io.feathergate.wire;
