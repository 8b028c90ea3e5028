/**
 * The HTTP edge: the asynchronous exchange servlet and its non-blocking client channel, the
 * dialects of its routes (OpenAI's chat completions; Anthropic's messages, read and framed by the
 * {@code Messages*} classes), the Jersey resources (models, health, model info, status page, live
 * feed), the request-id and authentication filters, and error bodies. Uses {@code core} and {@code
 * wire}; never the transport or a provider (the package rules test enforces it). See {@code
 * docs/architecture.md}.
 */
package io.feathergate.api;
