package io.feathergate.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated client chat-completion request.
 *
 * @param body the client's JSON, with every field it sent (unknown ones too)
 * @param model the requested model name
 * @param stream whether the client asked for a stream
 * @param includeUsage whether the client asked for the usage chunk ({@code stream_options})
 */
public record ChatRequest(ObjectNode body, String model, boolean stream, boolean includeUsage) {}
