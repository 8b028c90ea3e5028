package io.feathergate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks {@code api_base} values: the transport can only reach absolute http(s) URLs. */
final class ApiBases {
  static final String PROBLEM = "must be an absolute http(s) URL such as https://host/v1";

  private ApiBases() {}

  /** The URL, or null when it is not an absolute http or https URL with a host. */
  static URI parseOrNull(String text) {
    try {
      URI uri = new URI(text.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean web = scheme.equals("http") || scheme.equals("https");
      return web && uri.getHost() != null ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
