package io.feathergate.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One configured upstream: a {@code model_list} entry after parsing and {@code os.environ/}
 * resolution.
 *
 * @param id {@code model_info.id}, or a stable hash of the entry when absent
 * @param modelGroup the public name clients send ({@code model_name}); may contain {@code *}
 * @param provider the provider key ({@code openai}, ...), from the model prefix or {@code
 *     custom_llm_provider}
 * @param upstreamModel the model name sent upstream (the part after the provider prefix); may
 *     contain {@code *} to take the part of the requested name that a wildcard group matched
 * @param apiBase the upstream base URL, or null for the provider's default
 * @param apiKey the upstream credential, or null
 * @param organization the OpenAI organization header value, or null
 * @param timeout the deadline for a whole non-streaming call
 * @param streamTimeout for streams, the longest wait for the first byte and between two reads
 * @param maxRetries retries of this deployment before the first byte reaches the client
 * @param mockResponse a canned answer served without any upstream call, or null
 * @param defaultParams request parameters applied where the client did not set them
 * @param extraHeaders headers added to every upstream request
 * @param dropParams {@code drop_params}: leave out OpenAI parameters the provider cannot honour
 *     instead of answering 400
 * @param http2 whether calls may go over HTTP/2 ({@code http2}, {@code http2_max_streams})
 * @param unavailableReason why this deployment cannot serve (an unset environment variable), or
 *     null
 */
public record Deployment(
    String id,
    String modelGroup,
    String provider,
    String upstreamModel,
    URI apiBase,
    Secret apiKey,
    String organization,
    Duration timeout,
    Duration streamTimeout,
    int maxRetries,
    String mockResponse,
    Map<String, JsonNode> defaultParams,
    Map<String, String> extraHeaders,
    boolean dropParams,
    Http2Policy http2,
    String unavailableReason) {

  public Deployment {
    defaultParams = Map.copyOf(defaultParams);
    extraHeaders = Map.copyOf(extraHeaders);
  }

  public boolean isWildcard() {
    return modelGroup.indexOf('*') >= 0;
  }
}
