package io.feathergate.core.spi;

/**
 * What a translator may need beyond the upstream's bytes: injected so translators stay pure (no
 * clock, no randomness of their own).
 *
 * @param clientRequest the client's request
 * @param upstreamModel the model name sent upstream
 * @param responseId an id for the response when the upstream supplies none
 * @param createdEpochSeconds a creation time for the response when the upstream supplies none
 * @param ids further ids a translation needs (tool-call ids an upstream does not give)
 */
public record StreamContext(
    ChatRequest clientRequest,
    String upstreamModel,
    String responseId,
    long createdEpochSeconds,
    IdSource ids) {}
