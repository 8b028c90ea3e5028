/**
 * Google's Gemini API ({@code generateContent}): requests, answers, streams and errors translated
 * both ways. Pure: no I/O, clock, randomness or environment. See {@code docs/providers/gemini.md}.
 */
package io.feathergate.provider.gemini;
