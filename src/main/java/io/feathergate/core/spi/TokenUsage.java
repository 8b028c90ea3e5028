package io.feathergate.core.spi;

/** The {@code usage} object of a completion: token counts as the upstream reported them. */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens) {}
