package io.feathergate.api;

import io.feathergate.core.errors.GatewayException;
import io.feathergate.core.spi.UploadedFile;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body spooled to a file, read in place: its text fields into memory,
 * its files as ranges of the spooled file. The file is mapped, not read onto the heap, so an upload
 * of any allowed size costs the heap only its small fields.
 *
 * @param fields the text fields by name, each with every value sent, in order
 * @param files the file fields, in order
 */
record MultipartForm(Map<String, List<String>> fields, List<UploadedFile> files) {
  /** A text field longer than this is not a parameter: refused. */
  private static final int MAX_FIELD_BYTES = 1 << 20;

  private static final int MAX_HEADER_BYTES = 8 * 1024;

  /** The boundary of a {@code multipart/form-data} content type, or null for any other type. */
  static String boundary(String contentType) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    for (String parameter : contentType.split(";")) {
      String[] pair = parameter.strip().split("=", 2);
      if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("boundary")) {
        String boundary = unquote(pair[1].strip());
        return boundary.isEmpty() || boundary.length() > 70 ? null : boundary;
      }
    }
    return null;
  }

  /** Reads the form spooled at {@code path}. */
  static MultipartForm read(Path path, String boundary) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw invalid("it is larger than 2 GiB");
      }
      MappedByteBuffer body = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      return parse(body, (int) size, path, boundary);
    } catch (IOException e) {
      throw GatewayException.internal("The gateway could not read the upload it stored.");
    }
  }

  private static MultipartForm parse(MappedByteBuffer body, int size, Path path, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, size, delimiter, 0);
    if (at < 0) {
      throw invalid("its boundary never appears");
    }
    Map<String, List<String>> fields = new LinkedHashMap<>();
    List<UploadedFile> files = new ArrayList<>();
    at += delimiter.length;
    while (true) {
      if (at + 2 <= size && body.get(at) == '-' && body.get(at + 1) == '-') {
        return new MultipartForm(fields, files); // the closing delimiter
      }
      if (at + 2 > size || body.get(at) != '\r' || body.get(at + 1) != '\n') {
        throw invalid("a boundary is not followed by a line end");
      }
      int headersStart = at + 2;
      int headersEnd =
          indexOf(
              body,
              Math.min(size, headersStart + MAX_HEADER_BYTES),
              new byte[] {'\r', '\n', '\r', '\n'},
              headersStart);
      if (headersEnd < 0) {
        throw invalid("a part's headers never end");
      }
      Map<String, String> headers = headers(body, headersStart, headersEnd);
      int contentStart = headersEnd + 4;
      int contentEnd = indexOf(body, size, nextDelimiter, contentStart);
      if (contentEnd < 0) {
        throw invalid("it ends without its closing boundary");
      }
      String disposition = headers.getOrDefault("content-disposition", "");
      String name = parameter(disposition, "name");
      if (name == null) {
        throw invalid("a part has no name");
      }
      String filename = parameter(disposition, "filename");
      if (filename != null) {
        files.add(
            new UploadedFile(
                path,
                contentStart,
                (long) contentEnd - contentStart,
                name,
                filename,
                headers.getOrDefault("content-type", "application/octet-stream")));
      } else {
        if (contentEnd - contentStart > MAX_FIELD_BYTES) {
          throw invalid("the field '" + name + "' is longer than 1 MiB");
        }
        byte[] value = new byte[contentEnd - contentStart];
        body.get(contentStart, value);
        fields
            .computeIfAbsent(name, key -> new ArrayList<>())
            .add(new String(value, StandardCharsets.UTF_8));
      }
      at = contentEnd + nextDelimiter.length;
    }
  }

  private static Map<String, String> headers(MappedByteBuffer body, int from, int to) {
    byte[] bytes = new byte[to - from];
    body.get(from, bytes);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    return headers;
  }

  /** A parameter of a header value ({@code name="file"}), unquoted; null when absent. */
  private static String parameter(String value, String name) {
    for (String parameter : value.split(";")) {
      String[] pair = parameter.strip().split("=", 2);
      if (pair.length == 2 && pair[0].strip().equalsIgnoreCase(name)) {
        return unquote(pair[1].strip());
      }
    }
    return null;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static int indexOf(MappedByteBuffer body, int end, byte[] pattern, int from) {
    byte first = pattern[0];
    outer:
    for (int i = from; i <= end - pattern.length; i++) {
      if (body.get(i) != first) {
        continue;
      }
      for (int j = 1; j < pattern.length; j++) {
        if (body.get(i + j) != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static GatewayException invalid(String why) {
    return GatewayException.badRequest("Invalid multipart/form-data body: " + why + ".", null);
  }

  /** The one value of a text field, or null. */
  String field(String name) {
    List<String> values = fields.get(name);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }
}
