package io.feathergate.core.exchange;

import io.feathergate.core.auth.Principal;

/**
 * What the HTTP edge knows about a request before core sees its body.
 *
 * @param requestId the id the client sent (checked) or the edge made; sent upstream as {@code
 *     x-request-id}
 * @param clientAddress the client's address, for the access log
 * @param principal who made the request, as authentication found out
 */
public record ClientInfo(String requestId, String clientAddress, Principal principal) {}
