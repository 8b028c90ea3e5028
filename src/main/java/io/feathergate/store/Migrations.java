package io.feathergate.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;

/**
 * Brings a database's schema up to date with Flyway. The migrations are named here rather than
 * found by scanning the classpath: scanning a WAR's classpath works differently in every container
 * (WildFly's VFS among them), naming them works in all.
 */
final class Migrations {
  /** Every migration, oldest first. Add new ones at the end; never change a released one. */
  static final List<String> FILES =
      List.of("V1__keys_and_spend.sql", "V2__teams_and_users.sql", "V3__model_limits.sql");

  private static final String FOLDER = "io/feathergate/store/migration";

  private Migrations() {}

  static void migrate(DataSource dataSource) {
    ClassLoader loader = Migrations.class.getClassLoader();
    Flyway.configure(loader)
        .dataSource(dataSource)
        .table("fg_schema_history")
        .locations("classpath:" + FOLDER)
        .resourceProvider(new Named(loader))
        .load()
        .migrate();
  }

  /** The migrations in {@link #FILES}, from the classpath. */
  private static final class Named implements ResourceProvider {
    private final ClassLoader loader;
    private final Location location = new Location("classpath:" + FOLDER);

    Named(ClassLoader loader) {
      this.loader = loader;
    }

    @Override
    public LoadableResource getResource(String name) {
      return FILES.contains(name) ? resource(name) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
      List<LoadableResource> found = new ArrayList<>();
      for (String file : FILES) {
        if (file.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(file::endsWith)) {
          found.add(resource(file));
        }
      }
      return found;
    }

    private LoadableResource resource(String file) {
      return new ClassPathResource(location, FOLDER + "/" + file, loader, StandardCharsets.UTF_8);
    }
  }
}
