/**
 * What the gateway keeps of the Responses API's responses: the response object, its input items and
 * the conversation up to it, so that {@code previous_response_id} works on any provider and a
 * response can be read back by its id.
 */
package io.feathergate.core.responses;
