package io.feathergate.core.exchange;

import java.util.HashMap;
import java.util.Map;

/**
 * The upstream's rate-limit headers, passed on to the client as LiteLLM does: clients pace
 * themselves by them. OpenAI's names ({@code x-ratelimit-remaining-requests}, ...) and {@code
 * retry-after} / {@code retry-after-ms} go through as they are; Anthropic's {@code
 * anthropic-ratelimit-requests-remaining} and the like are given OpenAI's names; each original also
 * goes out with LiteLLM's {@code llm_provider-} prefix. No other upstream header reaches the
 * client.
 */
public final class RateLimitHeaders {
  static final String PROVIDER_PREFIX = "llm_provider-";

  private static final String OPENAI = "x-ratelimit-";
  private static final String ANTHROPIC = "anthropic-ratelimit-";

  private RateLimitHeaders() {}

  /**
   * {@code clientHeaders} plus the rate-limit headers among {@code upstreamHeaders} (lower-case
   * names); {@code clientHeaders} itself when the upstream sent none.
   */
  public static Map<String, String> merge(
      Map<String, String> clientHeaders, Map<String, String> upstreamHeaders) {
    Map<String, String> merged = null;
    for (Map.Entry<String, String> header : upstreamHeaders.entrySet()) {
      String name = header.getKey();
      String clientName = clientName(name);
      if (clientName == null) {
        continue;
      }
      if (merged == null) {
        merged = new HashMap<>(clientHeaders);
      }
      merged.put(clientName, header.getValue());
      if (!name.startsWith("retry-after")) {
        merged.put(PROVIDER_PREFIX + name, header.getValue());
      }
    }
    return merged == null ? clientHeaders : merged;
  }

  /** The name a rate-limit header has for the client, or null when it is not one. */
  static String clientName(String upstreamName) {
    if (upstreamName.startsWith(OPENAI)
        || upstreamName.equals("retry-after")
        || upstreamName.equals("retry-after-ms")) {
      return upstreamName;
    }
    if (upstreamName.startsWith(ANTHROPIC)) {
      // anthropic-ratelimit-{requests|tokens}-{limit|remaining|reset}
      String rest = upstreamName.substring(ANTHROPIC.length());
      int dash = rest.lastIndexOf('-');
      if (dash > 0) {
        String what = rest.substring(0, dash);
        String measure = rest.substring(dash + 1);
        if (what.equals("requests") || what.equals("tokens")) {
          return OPENAI + measure + "-" + what;
        }
      }
      return PROVIDER_PREFIX + upstreamName;
    }
    return null;
  }
}
