package io.feathergate.core;

/**
 * What a stream decoder may need beyond the events: injected so decoders stay pure.
 *
 * @param clientRequest the client's request
 * @param upstreamModel the model name sent upstream
 * @param responseId an id for chunks when the upstream supplies none
 * @param createdEpochSeconds a creation time for chunks when the upstream supplies none
 */
public record StreamContext(
    ChatRequest clientRequest, String upstreamModel, String responseId, long createdEpochSeconds) {}
