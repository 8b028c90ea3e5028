package io.feathergate.core.spi;

import java.nio.file.Path;

/**
 * The file field of a client's multipart upload, kept on disk where the gateway spooled the body.
 *
 * @param path the spooled body
 * @param offset where the file's bytes start in it
 * @param length how many bytes the file has
 * @param field the form field's name ({@code file})
 * @param filename the client's file name
 * @param contentType the file's content type as the client sent it
 */
public record UploadedFile(
    Path path, long offset, long length, String field, String filename, String contentType) {}
