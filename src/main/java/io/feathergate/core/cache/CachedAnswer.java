package io.feathergate.core.cache;

import io.feathergate.core.spi.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one entry holds: a whole answer as the client got it, or a stream's chunks, with when it was
 * stored (for {@code s-maxage}). The answer was already searched for deployment keys before it was
 * stored, as everything a client gets is.
 *
 * @param storedAtMillis when it was stored, epoch milliseconds
 * @param stream whether it is a stream's chunks rather than one answer
 * @param inClientApi whether the answer is in the client's API rather than the chat schema
 * @param contentType the answer's content type
 * @param usage the answer's token counts, or null
 * @param body the answer (or, for an embedding, the one item's vector); empty for a stream
 * @param chunks a stream's {@code chat.completion.chunk} JSON, in order; empty for an answer
 */
public record CachedAnswer(
    long storedAtMillis,
    boolean stream,
    boolean inClientApi,
    String contentType,
    TokenUsage usage,
    byte[] body,
    List<String> chunks) {

  private static final String MAGIC = "FGC1";

  public CachedAnswer {
    chunks = List.copyOf(chunks);
  }

  /** The bytes of the entry: a header line, then the body or one chunk per line. */
  byte[] encode() {
    StringBuilder header = new StringBuilder(96).append(MAGIC).append(' ');
    header.append(storedAtMillis).append(' ').append(stream ? 's' : 'a');
    header.append(inClientApi ? 'n' : 'c').append(' ');
    if (usage == null) {
      header.append('-');
    } else {
      header
          .append(usage.promptTokens())
          .append(',')
          .append(usage.completionTokens())
          .append(',')
          .append(usage.totalTokens())
          .append(',')
          .append(usage.cacheReadTokens())
          .append(',')
          .append(usage.cacheWriteTokens())
          .append(',')
          .append(usage.reasoningTokens());
    }
    header.append(' ').append(contentType).append('\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + size());
    out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    for (String chunk : chunks) {
      out.writeBytes(chunk.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** About what the entry weighs, before it is encoded. */
  int size() {
    int size = body.length;
    for (String chunk : chunks) {
      size += chunk.length() + 1;
    }
    return size;
  }

  /** The entry of {@link #encode()}'s bytes, or null when they are not one (another writer's). */
  static CachedAnswer decode(byte[] entry) {
    int newline = indexOf(entry, (byte) '\n', 0);
    if (newline < 0) {
      return null;
    }
    String[] header = new String(entry, 0, newline, StandardCharsets.UTF_8).split(" ", 5);
    if (header.length != 5 || !header[0].equals(MAGIC) || header[2].length() != 2) {
      return null;
    }
    try {
      long storedAt = Long.parseLong(header[1]);
      boolean stream = header[2].charAt(0) == 's';
      boolean inClientApi = header[2].charAt(1) == 'n';
      TokenUsage usage = usage(header[3]);
      int start = newline + 1;
      if (!stream) {
        byte[] body = new byte[entry.length - start];
        System.arraycopy(entry, start, body, 0, body.length);
        return new CachedAnswer(storedAt, false, inClientApi, header[4], usage, body, List.of());
      }
      List<String> chunks = new ArrayList<>();
      for (int end = indexOf(entry, (byte) '\n', start);
          end >= 0;
          start = end + 1, end = indexOf(entry, (byte) '\n', start)) {
        chunks.add(new String(entry, start, end - start, StandardCharsets.UTF_8));
      }
      return new CachedAnswer(storedAt, true, inClientApi, header[4], usage, new byte[0], chunks);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static TokenUsage usage(String counts) {
    if (counts.equals("-")) {
      return null;
    }
    String[] parts = counts.split(",");
    if (parts.length != 6) {
      throw new NumberFormatException(counts);
    }
    long[] values = new long[6];
    for (int i = 0; i < 6; i++) {
      values[i] = Long.parseLong(parts[i]);
    }
    return new TokenUsage(values[0], values[1], values[2], values[3], values[4], values[5]);
  }

  private static int indexOf(byte[] bytes, byte value, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
