/**
 * Anthropic's Messages API: requests, answers, streams and errors translated both ways. Pure: no
 * I/O, clock, randomness or environment. See {@code docs/providers/anthropic.md}.
 */
package io.feathergate.provider.anthropic;
