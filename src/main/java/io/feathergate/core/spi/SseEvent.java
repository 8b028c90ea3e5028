package io.feathergate.core.spi;

/**
 * One server-sent event as decoded from an upstream stream.
 *
 * @param event the {@code event:} field, or null when absent
 * @param data the {@code data:} lines joined with LF
 * @param id the {@code id:} field, or null when absent
 */
public record SseEvent(String event, String data, String id) {}
