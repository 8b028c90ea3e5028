package io.feathergate.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Tool names of one request, shortened where OpenAI-style providers would refuse them: Anthropic
 * takes names up to 128 characters (MCP tools are named {@code mcp__server__tool}), OpenAI's chat
 * completions at most 64. A long name becomes its first 55 characters, {@code _} and 8 hex digits
 * of its SHA-256, the same every time, so that tool definitions, earlier {@code tool_use} turns and
 * {@code tool_choice} agree; the answer's calls get their original names back.
 */
final class ToolNames {
  static final int MAX_LENGTH = 64;
  private static final int KEPT = 55;

  private final Map<String, String> originals = new HashMap<>();

  /** The name to send upstream. */
  String shortened(String name) {
    if (name == null || name.length() <= MAX_LENGTH) {
      return name;
    }
    String shortName = name.substring(0, KEPT) + "_" + digest(name);
    originals.put(shortName, name);
    return shortName;
  }

  /** The client's name for a name an upstream answered with. */
  String original(String name) {
    return name == null ? null : originals.getOrDefault(name, name);
  }

  private static String digest(String name) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
