package io.feathergate.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A credential (API key, master key). Its {@link #toString()} never shows the value, so a secret
 * that slips into a log line or an error message prints as {@code [redacted]}.
 */
public final class Secret {
  private final String value;
  private final byte[] digest;
  private final byte[] bytes;

  private Secret(String value) {
    this.value = value;
    this.digest = sha256(value);
    this.bytes = value.getBytes(StandardCharsets.UTF_8);
  }

  /** Wraps a non-empty value; returns null for null or blank input. */
  public static Secret ofNullable(String value) {
    return value == null || value.isBlank() ? null : new Secret(value);
  }

  /** The raw value, for the one place that must send it (an upstream header) and for searching. */
  public String reveal() {
    return value;
  }

  /** SHA-256 of the value in lower-case hex: how LiteLLM names a key in metrics and logs. */
  public String sha256Hex() {
    return java.util.HexFormat.of().formatHex(digest);
  }

  /** The raw value as UTF-8, for searching answers for it; callers must not modify it. */
  public byte[] bytes() {
    return bytes;
  }

  /**
   * Compares in time independent of where the first difference is. Both sides are hashed first so
   * that the length of the secret does not leak either.
   */
  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(candidate));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
