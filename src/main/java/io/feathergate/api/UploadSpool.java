package io.feathergate.api;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where an upload's body is written as it arrives: a file in the container's temporary directory,
 * deleted when the request ends, however it ends. The heap holds only a transfer buffer.
 */
final class UploadSpool implements AsyncListener {
  private static final Logger LOG = Logger.getLogger(UploadSpool.class.getName());

  private final Path path;
  private FileChannel channel;

  private UploadSpool(Path path) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.WRITE);
  }

  /** A new spool for this request, deleted when {@code async} completes. */
  static UploadSpool create(ServletContext context, AsyncContext async) throws IOException {
    Object tempDir = context.getAttribute(ServletContext.TEMPDIR);
    Path file =
        tempDir instanceof File dir
            ? Files.createTempFile(dir.toPath(), "feathergate-upload-", ".form")
            : Files.createTempFile("feathergate-upload-", ".form");
    UploadSpool spool = new UploadSpool(file);
    async.addListener(spool);
    return spool;
  }

  Path path() {
    return path;
  }

  void write(byte[] bytes, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** The whole body is written (or no more will be). */
  void close() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing an upload spool failed", e);
    }
    channel = null;
  }

  /** Closes and deletes the file: the upload is refused, or its request over. */
  void delete() {
    close();
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not delete the upload spool " + path, e);
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
    delete();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    delete();
  }

  @Override
  public void onError(AsyncEvent event) {
    delete();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // the same request: the spool stays
  }
}
