package io.feathergate.credentials;

import java.time.Instant;

/**
 * An access token and when to stop using it.
 *
 * @param value the token; never logged
 * @param refreshAt when a new one is asked for: shortly before it expires
 */
record AccessToken(String value, Instant refreshAt) {
  @Override
  public String toString() {
    return "AccessToken[refreshAt=" + refreshAt + "]";
  }
}
