package io.feathergate.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Unpacks the embedded server ({@code META-INF/launcher/**} of the WAR) and the web application
 * ({@code WEB-INF/**}, under {@code webapp/}) into a directory named after the WAR's path, size and
 * modification time, and reuses it on later starts of the same WAR: the server then runs the webapp
 * from there instead of unpacking the WAR again on every start. A directory is only ever published
 * complete: it is written under a temporary name and renamed, so a crash or a concurrent start
 * never leaves a half-written cache behind.
 */
final class LauncherCache {
  static final String PREFIX = "META-INF/launcher/";

  static final String WEBAPP_PREFIX = "WEB-INF/";

  /** Where the web application goes in the cache. */
  static final String WEBAPP = "webapp";

  private LauncherCache() {}

  /** Returns the cache directory of {@code war} under {@code tmp}, extracting it when needed. */
  static Path prepare(Path war, Path tmp) throws IOException {
    Path cache = tmp.resolve("feathergate-" + key(war));
    try (ZipFile zip = new ZipFile(war.toFile())) {
      List<ZipEntry> entries = launcherEntries(zip);
      if (entries.stream().noneMatch(e -> e.getName().startsWith(PREFIX))) {
        throw new IOException(war + " holds no embedded server (" + PREFIX + ")");
      }
      if (Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)) {
        checkPrivate(cache);
        if (isComplete(cache, entries)) {
          return cache;
        }
        // files vanished (a tmp cleaner, a user): start over rather than run on a partial set
        deleteTree(cache);
      }
      publish(extract(zip, entries, tmp), cache);
      checkPrivate(cache);
      return cache;
    }
  }

  /**
   * Names the cache after the WAR's real path, size and mtime and the user, so a rebuilt WAR gets
   * fresh jars and two users never share a directory.
   */
  static String key(Path war) throws IOException {
    String identity =
        String.join(
            "\n",
            war.toRealPath().toString(),
            Long.toString(Files.size(war)),
            Long.toString(Files.getLastModifiedTime(war).toMillis()),
            System.getProperty("user.name", ""));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static List<ZipEntry> launcherEntries(ZipFile zip) {
    List<ZipEntry> entries = new ArrayList<>();
    zip.stream()
        .filter(
            e ->
                !e.isDirectory()
                    && (e.getName().startsWith(PREFIX) || e.getName().startsWith(WEBAPP_PREFIX)))
        .forEach(entries::add);
    return entries;
  }

  /**
   * The cache lives in a shared temp directory and its jars end up on our class path: refuse one
   * that another user owns or may write, since whoever controls it controls this process.
   */
  private static void checkPrivate(Path cache) throws IOException {
    PosixFileAttributes attributes;
    try {
      attributes =
          Files.readAttributes(cache, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException e) {
      return; // not POSIX (Windows): the per-user temp directory is already private
    }
    String user = System.getProperty("user.name");
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (!attributes.owner().getName().equals(user)
        || permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(
          "refusing to use " + cache + ": it belongs to another user or others may write to it");
    }
  }

  private static boolean isComplete(Path cache, List<ZipEntry> entries) throws IOException {
    for (ZipEntry entry : entries) {
      Path file = target(cache, entry);
      if (!Files.isRegularFile(file) || Files.size(file) != entry.getSize()) {
        return false;
      }
    }
    return true;
  }

  /** Writes the entries into a fresh private directory next to where the cache will live. */
  private static Path extract(ZipFile zip, List<ZipEntry> entries, Path tmp) throws IOException {
    // createTempDirectory makes it owner-only (0700), and the rename below keeps that
    Path staging = Files.createTempDirectory(tmp, "feathergate-staging-");
    try {
      for (ZipEntry entry : entries) {
        Path file = target(staging, entry);
        Files.createDirectories(file.getParent());
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, file);
        }
      }
      return staging;
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
  }

  private static Path target(Path root, ZipEntry entry) throws IOException {
    String name = entry.getName();
    Path file =
        (name.startsWith(PREFIX)
                ? root.resolve(name.substring(PREFIX.length()))
                : root.resolve(WEBAPP).resolve(name))
            .normalize();
    if (!file.startsWith(root)) {
      throw new IOException("entry escapes the cache: " + entry.getName());
    }
    return file;
  }

  private static void publish(Path staging, Path cache) throws IOException {
    try {
      Files.move(staging, cache, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      // usually another start of the same WAR won the race (the name is taken): use its copy
      deleteTree(staging);
      if (!Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
