/**
 * LiteLLM's {@code config.yaml} to immutable core records: {@code os.environ/} resolution,
 * LiteLLM's YAML dialect, provider defaults from the environment variables the provider table
 * names, and problems that name the file and YAML path. Reads files; knows no HTTP, transport or
 * provider code.
 */
package io.feathergate.config;
