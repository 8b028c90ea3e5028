/**
 * Ollama's own chat API ({@code ollama_chat/} and {@code ollama/}, both at {@code /api/chat}):
 * requests with {@code options}, images as base64 and tool arguments as objects; answers and
 * newline-delimited JSON streams back in OpenAI's shape. Pure.
 */
package io.feathergate.provider.ollama;
