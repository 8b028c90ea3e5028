package io.feathergate.core.spi;

/**
 * One event as decoded from an upstream stream: a server-sent event, one line of a
 * newline-delimited JSON stream (data only), or one message of AWS's binary event stream ({@code
 * event} its {@code :event-type} or {@code :exception-type}, {@code data} its payload, {@code id}
 * its {@code :message-type}).
 *
 * @param event the {@code event:} field, or null when absent
 * @param data the {@code data:} lines joined with LF
 * @param id the {@code id:} field, or null when absent
 */
public record SseEvent(String event, String data, String id) {}
