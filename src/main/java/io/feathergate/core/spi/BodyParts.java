package io.feathergate.core.spi;

import java.nio.file.Path;
import java.util.List;

/**
 * A request body written from parts, some of them ranges of a file: an upload goes upstream from
 * the disk, never whole in memory.
 *
 * @param contentType the body's content type, with its parameters ({@code boundary})
 * @param parts the parts, in order
 */
public record BodyParts(String contentType, List<Part> parts) {

  public BodyParts {
    parts = List.copyOf(parts);
  }

  /** One part of the body. */
  public sealed interface Part permits Bytes, FileRange {
    long length();
  }

  /** Bytes in memory. */
  // handed over once and never compared
  @SuppressWarnings("ArrayRecordComponent")
  public record Bytes(byte[] bytes) implements Part {
    @Override
    public long length() {
      return bytes.length;
    }
  }

  /** {@code length} bytes of a file from {@code offset}. */
  public record FileRange(Path file, long offset, long length) implements Part {}

  /** The body's length in bytes. */
  public long length() {
    long length = 0;
    for (Part part : parts) {
      length += part.length();
    }
    return length;
  }
}
