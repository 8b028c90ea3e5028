package io.feathergate.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The launcher runs before any library is reachable (only the WAR's root is on the class path), and
 * the standalone server runs in a loader that holds Jetty but not the webapp: a dependency across
 * either line compiles, since Maven offers the whole class path, and fails only at run time.
 */
class LauncherIsolationTest {
  private static final Path TARGET = Path.of("target");

  @Test
  void theLauncherUsesOnlyTheJdk() {
    JavaClasses launcher = new ClassFileImporter().importPath(TARGET.resolve("launcher-classes"));
    assertThat(launcher).isNotEmpty();

    classes()
        .should()
        .onlyDependOnClassesThat()
        // com.sun.management and javax.management are the JDK's own (modules jdk.management and
        // java.management): HeapDefaults sets heap flags through the first, NativeHeapTrim runs a
        // diagnostic command through both
        .resideInAnyPackage(
            "java..", "javax.management..", "com.sun.management..", "io.feathergate.launcher..")
        .check(launcher);
  }

  @Test
  void theStandaloneServerUsesOnlyJettyAndTheJdk() {
    JavaClasses standalone =
        new ClassFileImporter().importPath(TARGET.resolve("standalone-classes"));
    assertThat(standalone).isNotEmpty();

    classes()
        .should()
        .onlyDependOnClassesThat()
        // com.sun.management and javax.management are the JDK's too (its buffer pool is sized
        // from the direct memory limit, read from the diagnostic bean)
        .resideInAnyPackage(
            "java..",
            "javax.management..",
            "com.sun.management..",
            "org.eclipse.jetty..",
            "io.feathergate.standalone..")
        .check(standalone);
  }
}
