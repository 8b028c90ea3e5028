/**
 * The HTTP edge: the asynchronous chat servlet and its non-blocking client channel, the Jersey
 * resources (models, health, model info, status page, live feed), the request-id and authentication
 * filters, and OpenAI error bodies. Uses {@code core} and {@code wire}; never the transport or a
 * provider (the package rules test enforces it). See {@code docs/architecture.md}.
 */
package io.feathergate.api;
