package io.feathergate.core.spi;

/** Ids a translation has to make up; random in the gateway, predictable in tests. */
@FunctionalInterface
public interface IdSource {

  /** A new tool-call id in OpenAI's shape ({@code call_...}). */
  String toolCallId();

  /** Random ids, as the gateway uses them. */
  public static IdSource random() {
    return () -> "call_" + Ids.random(24);
  }
}
