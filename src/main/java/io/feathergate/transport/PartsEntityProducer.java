package io.feathergate.transport;

import io.feathergate.core.spi.BodyParts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * Sends a {@link BodyParts} body as the connection takes it: bytes from memory, file ranges read a
 * buffer at a time, so that an upload never sits whole in the heap. Repeatable: a retry or a
 * fallback sends it again from the start.
 */
final class PartsEntityProducer implements AsyncEntityProducer {
  private static final int BUFFER = 64 * 1024;

  private final BodyParts body;
  private final long length;

  /** What is being written: a part's bytes, or {@link #fileBuffer}. */
  private ByteBuffer buffer;

  private ByteBuffer fileBuffer;
  private int part;
  private long partPosition;
  private FileChannel file;

  PartsEntityProducer(BodyParts body) {
    this.body = body;
    this.length = body.length();
  }

  @Override
  public boolean isRepeatable() {
    return true;
  }

  @Override
  public long getContentLength() {
    return length;
  }

  @Override
  public String getContentType() {
    return body.contentType();
  }

  @Override
  public String getContentEncoding() {
    return null;
  }

  @Override
  public boolean isChunked() {
    return false;
  }

  @Override
  public Set<String> getTrailerNames() {
    return Set.of();
  }

  @Override
  public int available() {
    return buffer != null && buffer.hasRemaining() ? buffer.remaining() : BUFFER;
  }

  @Override
  public synchronized void produce(DataStreamChannel channel) throws IOException {
    while (true) {
      if (buffer != null && buffer.hasRemaining()) {
        channel.write(buffer);
        if (buffer.hasRemaining()) {
          return; // the connection is full: it asks again when it can take more
        }
      }
      if (!fill()) {
        releaseResources();
        channel.endStream();
        return;
      }
    }
  }

  /** The next bytes into {@code buffer}; false at the end of the body. */
  private boolean fill() throws IOException {
    while (part < body.parts().size()) {
      BodyParts.Part current = body.parts().get(part);
      if (current instanceof BodyParts.Bytes bytes) {
        part++;
        partPosition = 0;
        if (bytes.bytes().length > 0) {
          buffer = ByteBuffer.wrap(bytes.bytes());
          return true;
        }
        continue;
      }
      BodyParts.FileRange range = (BodyParts.FileRange) current;
      if (partPosition >= range.length()) {
        closeFile();
        part++;
        partPosition = 0;
        continue;
      }
      if (file == null) {
        file = FileChannel.open(range.file(), StandardOpenOption.READ);
      }
      if (fileBuffer == null) {
        fileBuffer = ByteBuffer.allocate(BUFFER);
      }
      buffer = fileBuffer;
      buffer.clear();
      buffer.limit((int) Math.min(BUFFER, range.length() - partPosition));
      int read = file.read(buffer, range.offset() + partPosition);
      if (read < 0) {
        throw new IOException("the upload's file ended early");
      }
      partPosition += read;
      buffer.flip();
      return true;
    }
    return false;
  }

  private void closeFile() throws IOException {
    if (file != null) {
      file.close();
      file = null;
    }
  }

  @Override
  public void failed(Exception cause) {
    releaseResources();
  }

  @Override
  public synchronized void releaseResources() {
    try {
      closeFile();
    } catch (IOException e) {
      // nothing more is read from it
    }
    buffer = null;
    fileBuffer = null;
    part = 0;
    partPosition = 0;
  }
}
