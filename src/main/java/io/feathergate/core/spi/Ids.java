package io.feathergate.core.spi;

import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers in the shape OpenAI uses. */
public final class Ids {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private Ids() {}

  /** {@code chatcmpl-} followed by 29 random base-62 characters, like OpenAI's ids. */
  public static String chatCompletionId() {
    return "chatcmpl-" + random(29);
  }

  public static String random(int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }
}
