/**
 * One request's way through core: {@link io.feathergate.core.exchange.ChatCompletionService} parses
 * and routes it, {@link io.feathergate.core.exchange.ChatExchange} runs its attempts on the
 * deployments a plan names and relays the answer to the {@link
 * io.feathergate.core.exchange.ClientChannel} the edge implements, and the request observer times
 * it and reports it to the listeners. The only room that runs exchanges.
 */
package io.feathergate.core.exchange;
