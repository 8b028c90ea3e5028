package io.feathergate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherCacheTest {
  @TempDir Path tmp;

  @Test
  void unpacksTheEmbeddedServerAndTheWebappIntoAPrivateDirectory() throws IOException {
    Path war =
        war(
            Map.of(
                "META-INF/launcher/lib/jetty.jar", "jar bytes",
                "META-INF/launcher/classes/x/Server.class", "class bytes",
                "WEB-INF/web.xml", "<web-app/>",
                "io/feathergate/launcher/Launcher.class", "launcher"));

    Path cache = LauncherCache.prepare(war, tmp);

    assertThat(cache.getParent()).isEqualTo(tmp);
    assertThat(cache.resolve("lib/jetty.jar")).hasContent("jar bytes");
    assertThat(cache.resolve("classes/x/Server.class")).hasContent("class bytes");
    assertThat(cache.resolve("webapp/WEB-INF/web.xml")).hasContent("<web-app/>");
    try (Stream<Path> files = Files.walk(cache)) {
      // the launcher's own classes at the WAR's root stay out
      assertThat(files.filter(Files::isRegularFile)).hasSize(3);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).containsExactlyInAnyOrder(war, cache); // no staging directory left behind
    }
  }

  @Test
  void aSecondStartReusesTheFilesOfTheFirst() throws IOException {
    Path war = war(Map.of("META-INF/launcher/lib/jetty.jar", "jar bytes"));
    Path first = LauncherCache.prepare(war, tmp);
    Object fileKey = Files.readAttributes(first.resolve("lib/jetty.jar"), "unix:ino").get("ino");

    Path second = LauncherCache.prepare(war, tmp);

    assertThat(second).isEqualTo(first);
    assertThat(Files.readAttributes(second.resolve("lib/jetty.jar"), "unix:ino").get("ino"))
        .isEqualTo(fileKey);
  }

  @Test
  void aRebuiltWarGetsItsOwnDirectory() throws IOException {
    Path war = war(Map.of("META-INF/launcher/lib/jetty.jar", "old"));
    Path before = LauncherCache.prepare(war, tmp);

    war(Map.of("META-INF/launcher/lib/jetty.jar", "new!"));
    Files.setLastModifiedTime(war, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    Path after = LauncherCache.prepare(war, tmp);

    assertThat(after).isNotEqualTo(before);
    assertThat(after.resolve("lib/jetty.jar")).hasContent("new!");
  }

  @Test
  void aCacheMissingFilesIsUnpackedAgain() throws IOException {
    Path war = war(Map.of("META-INF/launcher/lib/a.jar", "a", "META-INF/launcher/lib/b.jar", "b"));
    Path cache = LauncherCache.prepare(war, tmp);
    Files.delete(cache.resolve("lib/b.jar")); // as a tmp cleaner would

    assertThat(LauncherCache.prepare(war, tmp)).isEqualTo(cache);
    assertThat(cache.resolve("lib/b.jar")).hasContent("b");
  }

  @Test
  void refusesACacheOthersMayWriteTo() throws IOException {
    Path war = war(Map.of("META-INF/launcher/lib/a.jar", "a"));
    Path cache = LauncherCache.prepare(war, tmp);
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> LauncherCache.prepare(war, tmp))
        .hasMessageContaining("refusing to use " + cache);
  }

  @Test
  void aWarWithoutAnEmbeddedServerIsAnError() throws IOException {
    Path war = war(Map.of("WEB-INF/web.xml", "<web-app/>"));

    assertThatThrownBy(() -> LauncherCache.prepare(war, tmp))
        .hasMessageContaining("holds no embedded server");
  }

  @Test
  void entriesCannotEscapeTheCache() throws IOException {
    Path war = war(Map.of("META-INF/launcher/../../../evil.jar", "x"));

    assertThatThrownBy(() -> LauncherCache.prepare(war, tmp))
        .hasMessageContaining("escapes the cache");
    assertThat(tmp.getParent().getParent().resolve("evil.jar")).doesNotExist();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).containsExactly(war); // the staging directory was cleaned up
    }
  }

  private Path war(Map<String, String> entries) throws IOException {
    Path war = tmp.resolve("feathergate.war");
    try (OutputStream file = Files.newOutputStream(war);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return war;
  }
}
