package io.feathergate.core.events;

import io.feathergate.core.Deployment;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.spi.TokenUsage;

/**
 * One finished request, as metrics, the access log and the live feed see it. Never holds message
 * content or a credential.
 *
 * @param requestId the request id
 * @param startEpochMillis when the request arrived
 * @param route the route the client called
 * @param deployment the deployment chosen, or null when none was (bad request, unknown model)
 * @param stream whether the client asked for a stream
 * @param status the HTTP status the client got; for a stream that failed after it began, the
 *     failure's status; 499 when the client went away first
 * @param errorType the OpenAI error type of a failure, or null on success
 * @param latencyNanos from arrival to the last byte queued for the client
 * @param timeToFirstTokenNanos for streams, from the start of the last upstream attempt to the
 *     first chunk; -1 otherwise
 * @param upstreamNanos the last upstream attempt's duration, or -1 when there was none
 * @param usage token counts, or null when the response carried none
 * @param retries upstream attempts after the first
 * @param fallbacks fallback model groups tried
 * @param primaryModelGroup the model group the request was first routed to, or null when none
 * @param clientAddress the client's address
 * @param principal who made the request
 * @param cache what the response cache did for it
 */
public record RequestRecord(
    String requestId,
    long startEpochMillis,
    String route,
    Deployment deployment,
    boolean stream,
    int status,
    String errorType,
    long latencyNanos,
    long timeToFirstTokenNanos,
    long upstreamNanos,
    TokenUsage usage,
    int retries,
    int fallbacks,
    String primaryModelGroup,
    String clientAddress,
    Principal principal,
    CacheUse cache) {

  /** A client that left before the answer: nginx's convention, as LiteLLM has no code for it. */
  public static final int CLIENT_CLOSED = 499;

  /** What the response cache did for a request. */
  public enum CacheUse {
    /** The cache is off, or does not serve this request. */
    NONE,
    /** The answer came from the cache: no upstream, no tokens, no cost. */
    HIT,
    /** The cache was looked in (or told not to look) and the answer came from upstream. */
    MISS
  }

  public boolean failed() {
    return status >= 400;
  }

  /** The model group served, or null when the request never reached one. */
  public String modelGroup() {
    return deployment == null ? null : deployment.modelGroup();
  }
}
