package io.feathergate.core.exchange;

import java.util.HashMap;
import java.util.Map;

/**
 * LiteLLM's timing response headers, on answers and errors alike: how long the request took in all,
 * and in the gateway itself. (The routing headers come from the plan: {@code
 * core.routing.RoutingHeaders}.)
 */
final class GatewayHeaders {
  static final String RESPONSE_DURATION = "x-litellm-response-duration-ms";
  static final String OVERHEAD_DURATION = "x-litellm-overhead-duration-ms";

  private static final long NANOS_PER_MICRO = 1_000;

  private GatewayHeaders() {}

  /** {@code headers} with the durations, in milliseconds with three decimals as LiteLLM sends. */
  static Map<String, String> withDurations(
      Map<String, String> headers, long responseNanos, long overheadNanos) {
    Map<String, String> all = new HashMap<>((headers.size() + 2) * 4 / 3 + 1);
    all.putAll(headers);
    all.put(RESPONSE_DURATION, millis(responseNanos));
    all.put(OVERHEAD_DURATION, millis(Math.max(0, overheadNanos)));
    return all;
  }

  /** Milliseconds with three decimals ({@code 12.345}), without floating-point formatting. */
  static String millis(long nanos) {
    long micros = Math.max(0, nanos) / NANOS_PER_MICRO;
    long fraction = micros % 1000;
    StringBuilder text = new StringBuilder(12).append(micros / 1000).append('.');
    if (fraction < 100) {
      text.append(fraction < 10 ? "00" : "0");
    }
    return text.append(fraction).toString();
  }
}
