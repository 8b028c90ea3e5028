package io.feathergate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the design guide, checked on the compiled classes: a translator that does
 * I/O, or a core class that touches a servlet, fails the build.
 */
class PackageRulesTest {
  private static final String BASE = "io.feathergate";
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);
  }

  private static final String[] WEB_AND_TRANSPORT = {
    "jakarta.servlet..",
    "jakarta.ws.rs..",
    "org.glassfish..",
    "org.apache.hc..",
    "org.eclipse.jetty.."
  };

  @Test
  void nothingDependsOnTheCompositionRoot() {
    noClasses()
        .that()
        .resideOutsideOfPackage(BASE + ".boot..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".boot..")
        .check(classes);
  }

  @Test
  void coreKnowsNoServletJerseyOrHttpClient() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(BASE + ".core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(WEB_AND_TRANSPORT)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(
                BASE + ".api..",
                BASE + ".config..",
                BASE + ".transport..",
                BASE + ".provider..",
                BASE + ".store..",
                BASE + ".redis..");
    rule.check(classes);
  }

  @Test
  void onlyTheCompositionRootKnowsRedis() {
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + ".boot..", BASE + ".redis..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".redis..")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("redis.clients..", "org.apache.commons.pool2..")
        .check(classes);
  }

  @Test
  void onlyTheCompositionRootKnowsTheKeyDatabase() {
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + ".boot..", BASE + ".store..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".store..")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer..", "org.flywaydb..")
        .check(classes);
  }

  private static final String CORE = BASE + ".core";
  private static final String[] CORE_ROOMS_THAT_RUN_REQUESTS = {
    CORE + ".exchange..", CORE + ".routing..", CORE + ".events..", CORE + ".auth.."
  };

  @Test
  void coresModelAtItsRootKnowsNoRoom() {
    noClasses()
        .that()
        .resideInAPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CORE + ".*..")
        .check(classes);
  }

  @Test
  void theCacheKnowsNothingOfHowRequestsRunButWhoMadeThem() {
    noClasses()
        .that()
        .resideInAPackage(CORE + ".cache..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            CORE + ".exchange..", CORE + ".routing..", CORE + ".events..", CORE + ".keys..")
        .check(classes);
  }

  @Test
  void errorsKnowOnlyTheModel() {
    noClasses()
        .that()
        .resideInAPackage(CORE + ".errors..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CORE_ROOMS_THAT_RUN_REQUESTS)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage(CORE + ".spi..")
        .check(classes);
  }

  @Test
  void theSpiKnowsNothingOfHowRequestsRun() {
    noClasses()
        .that()
        .resideInAPackage(CORE + ".spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CORE_ROOMS_THAT_RUN_REQUESTS)
        .check(classes);
  }

  @Test
  void onlyTheExchangeRunsExchanges() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE + ".routing..", CORE + ".events..", CORE + ".auth..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(CORE + ".exchange..")
        .check(classes);
  }

  @Test
  void providersAndTransportSeeOnlyTheSpiTheErrorsAndTheModel() {
    noClasses()
        .that()
        .resideInAnyPackage(BASE + ".provider..", BASE + ".transport..", BASE + ".config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CORE_ROOMS_THAT_RUN_REQUESTS)
        .check(classes);
  }

  @Test
  void wireIsOnlyJacksonAndTheJdk() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".wire..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(WEB_AND_TRANSPORT)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            BASE + ".core..",
            BASE + ".api..",
            BASE + ".config..",
            BASE + ".transport..",
            BASE + ".provider..")
        .check(classes);
  }

  @Test
  void providersArePure() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".provider..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(WEB_AND_TRANSPORT)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            BASE + ".api..",
            BASE + ".config..",
            BASE + ".transport..",
            "java.nio.file..",
            "java.net.http..",
            "java.util.concurrent..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.File")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.net.Socket")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.net.URLConnection")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.time.Clock")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .orShould()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(System.class, "getProperty", String.class)
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .check(classes);
  }

  @Test
  void configReadsFilesButKnowsNoHttp() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(WEB_AND_TRANSPORT)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(BASE + ".api..", BASE + ".transport..", BASE + ".provider..")
        .orShould()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .check(classes);
  }

  @Test
  void credentialsSeeOnlyCoreAndTheJdk() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".credentials..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(WEB_AND_TRANSPORT)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            BASE + ".api..",
            BASE + ".config..",
            BASE + ".transport..",
            BASE + ".provider..",
            BASE + ".metrics..")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(CORE_ROOMS_THAT_RUN_REQUESTS)
        .check(classes);
  }

  @Test
  void onlyTheCompositionRootKnowsTheCredentials() {
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + ".boot..", BASE + ".credentials..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".credentials..")
        .check(classes);
  }

  @Test
  void transportKnowsNoServletsNorProviders() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta.servlet..",
            "jakarta.ws.rs..",
            "org.glassfish..",
            BASE + ".api..",
            BASE + ".config..",
            BASE + ".provider..")
        .check(classes);
  }

  @Test
  void theHttpEdgeUsesCoreNotTheTransportOrProviders() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.hc..", BASE + ".transport..", BASE + ".provider..", BASE + ".config..")
        .check(classes);
  }

  @Test
  void metricsUseOnlyCoreAndPrometheus() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(WEB_AND_TRANSPORT)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            BASE + ".api..",
            BASE + ".config..",
            BASE + ".transport..",
            BASE + ".provider..",
            BASE + ".wire..",
            "com.fasterxml..")
        .check(classes);
  }

  @Test
  void webappCodeNeverUsesEmbeddedJetty() {
    // Jetty is only for the standalone launcher; a container deploying the WAR does not have it
    noClasses()
        .that()
        .resideInAnyPackage(
            BASE + ".boot..",
            BASE + ".api..",
            BASE + ".core..",
            BASE + ".wire..",
            BASE + ".config..",
            BASE + ".provider..",
            BASE + ".transport..",
            BASE + ".metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.eclipse.jetty..")
        .check(classes);
  }
}
