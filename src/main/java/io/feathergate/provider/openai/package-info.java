/**
 * OpenAI and every OpenAI-compatible provider (one adapter instance per provider table row):
 * pass-through with the model replaced, stream events checked and relayed as they came. Pure: no
 * I/O, clock, randomness or environment.
 */
package io.feathergate.provider.openai;
