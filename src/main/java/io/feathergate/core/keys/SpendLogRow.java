package io.feathergate.core.keys;

import java.time.Instant;

/**
 * One request's spend, LiteLLM's {@code LiteLLM_SpendLogs} row without message content.
 *
 * @param requestId the request id ({@code x-litellm-call-id})
 * @param callType the route called ({@code /v1/chat/completions}, ...)
 * @param apiKey SHA-256 of the caller's key, or null on an open gateway
 * @param spend what it cost, in US dollars
 * @param promptTokens input tokens
 * @param completionTokens output tokens
 * @param totalTokens all tokens
 * @param startTime when it arrived
 * @param endTime when it was over
 * @param model the upstream model, or null when none was called
 * @param modelId the deployment's id, or null
 * @param modelGroup the model group, or null
 * @param provider the deployment's provider, or null
 * @param userId the key's user, or null
 * @param teamId the key's team, or null
 * @param status {@code success} or {@code failure}
 * @param httpStatus the HTTP status the client got
 * @param cacheHit whether the response cache answered
 */
public record SpendLogRow(
    String requestId,
    String callType,
    String apiKey,
    double spend,
    long promptTokens,
    long completionTokens,
    long totalTokens,
    Instant startTime,
    Instant endTime,
    String model,
    String modelId,
    String modelGroup,
    String provider,
    String userId,
    String teamId,
    String status,
    int httpStatus,
    boolean cacheHit) {}
