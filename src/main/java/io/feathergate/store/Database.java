package io.feathergate.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.feathergate.core.Secret;
import io.feathergate.core.keys.KeyStore.StoreException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The key database, opened when first needed and migrated on opening: the container's own pool
 * ({@code java:comp/env/jdbc/feathergate}), else PostgreSQL (or any JDBC URL) from {@code
 * DATABASE_URL}, pooled with HikariCP, else embedded H2 in file mode in the data directory. The
 * embedded database is only made once something is written to it: a gateway whose keys were never
 * used keeps no file.
 */
public final class Database implements AutoCloseable {
  /** The name of the container's DataSource, as the WAR's {@code resource-ref} declares it. */
  public static final String JNDI_NAME = "java:comp/env/jdbc/feathergate";

  private static final String EMBEDDED_FILE = "feathergate";

  private final Secret url;
  private final Path dataDir;
  private final String jndiName;
  private volatile DataSource dataSource;
  private volatile HikariDataSource ownPool;
  private volatile String description;

  /**
   * @param url {@code DATABASE_URL}, or null for the container's DataSource or the embedded one
   * @param dataDir where the embedded database lives
   * @param jndiName the container's DataSource to ask for first ({@link #JNDI_NAME}, or a global
   *     name such as WildFly's {@code java:jboss/datasources/FeatherGateDS}), or null for none
   */
  public Database(Secret url, Path dataDir, String jndiName) {
    this.url = url;
    this.dataDir = dataDir;
    this.jndiName = jndiName;
  }

  /** Whether a database is there to read: configured, or made earlier in the data directory. */
  public boolean exists() {
    return dataSource != null
        || url != null
        || jndi() != null
        || Files.exists(dataDir.resolve(EMBEDDED_FILE + ".mv.db"));
  }

  /** Which database this is, without credentials, for logs and {@code /health}. */
  public String description() {
    String known = description;
    if (known != null) {
      return known;
    }
    if (url != null) {
      return "PostgreSQL";
    }
    return "embedded H2 in " + dataDir;
  }

  /**
   * The database, opened and migrated the first time.
   *
   * @throws StoreException when it cannot be opened
   */
  public DataSource open() {
    DataSource open = dataSource;
    if (open != null) {
      return open;
    }
    synchronized (this) {
      if (dataSource == null) {
        DataSource chosen = choose();
        try {
          Migrations.migrate(chosen);
        } catch (RuntimeException e) {
          closePool();
          throw new StoreException("the key database could not be migrated: " + e.getMessage(), e);
        }
        dataSource = chosen;
      }
      return dataSource;
    }
  }

  private DataSource choose() {
    DataSource container = jndi();
    if (container != null) {
      description = "the container's DataSource " + jndiName;
      return container;
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("feathergate-db");
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    // a database that is away fails a background write in seconds, not after the default 30 s
    config.setConnectionTimeout(5_000);
    config.setInitializationFailTimeout(-1);
    if (url != null) {
      JdbcUrl jdbc = JdbcUrl.of(url.reveal());
      config.setJdbcUrl(jdbc.url());
      driverFor(jdbc.url(), config);
      if (jdbc.user() != null) {
        config.setUsername(jdbc.user());
        config.setPassword(jdbc.password());
      }
      description = jdbc.url().startsWith("jdbc:postgresql:") ? "PostgreSQL" : "the JDBC database";
    } else {
      try {
        Files.createDirectories(dataDir);
      } catch (java.io.IOException e) {
        throw new StoreException("the data directory " + dataDir + " cannot be made", e);
      }
      config.setJdbcUrl(
          "jdbc:h2:file:"
              + dataDir.resolve(EMBEDDED_FILE).toAbsolutePath()
              + ";DB_CLOSE_ON_EXIT=FALSE");
      config.setUsername("sa");
      config.setPassword("");
      driverFor("jdbc:h2:", config);
      description = "embedded H2 in " + dataDir;
    }
    try {
      ownPool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("the key database cannot be reached: " + e.getMessage(), e);
    }
    return ownPool;
  }

  /**
   * Names the driver class of the drivers the WAR carries: a container's {@link DriverManager} may
   * have been initialised before the web application (Tomcat does so on purpose), and then never
   * finds the drivers in {@code WEB-INF/lib} by itself.
   */
  private static void driverFor(String jdbcUrl, HikariConfig config) {
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      config.setDriverClassName("org.h2.Driver");
    } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      config.setDriverClassName("org.postgresql.Driver");
      // a batch of spend-log rows goes as multi-row inserts, not one round trip per row
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
  }

  // a name from the operator's settings, never one a client could choose
  @SuppressWarnings("BanJNDI")
  private DataSource jndi() {
    if (url != null || jndiName == null) {
      // a DATABASE_URL wins over the container's pool
      return null;
    }
    try {
      return (DataSource) new InitialContext().lookup(jndiName);
    } catch (NamingException | RuntimeException | NoClassDefFoundError e) {
      // java -jar, or a container without the resource: the gateway's own pool is used
      return null;
    }
  }

  /** The opened database, or null while nothing opened it. */
  DataSource openedOrNull() {
    return dataSource;
  }

  private void closePool() {
    HikariDataSource pool = ownPool;
    ownPool = null;
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  public synchronized void close() {
    DataSource open = dataSource;
    dataSource = null;
    if (open != null && url == null && ownPool != null) {
      // compacts the file and releases its lock before the pool goes
      try (var connection = open.getConnection();
          var statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } catch (SQLException e) {
        // closing anyway
      }
    }
    closePool();
    deregisterDrivers();
  }

  /**
   * Drivers this web application's class loader registered (H2's, PostgreSQL's) are deregistered on
   * undeploy, so that the JVM-wide {@link DriverManager} does not keep the class loader alive. Only
   * after the gateway's own pool ran: listing the drivers loads the WAR's copy of every driver the
   * container registered (which registers it in turn), hence the second round.
   */
  private static void deregisterDrivers() {
    ClassLoader ours = Database.class.getClassLoader();
    for (int round = 0; round < 2; round++) {
      for (Driver driver : java.util.Collections.list(DriverManager.getDrivers())) {
        if (driver.getClass().getClassLoader() == ours) {
          try {
            DriverManager.deregisterDriver(driver);
          } catch (SQLException e) {
            // nothing more to do: the container reports what stays registered
          }
        }
      }
    }
  }

  /**
   * A JDBC URL and its credentials from {@code DATABASE_URL}: LiteLLM's {@code
   * postgresql://user:password@host:port/db?sslmode=...} form, or a {@code jdbc:} URL as it is.
   */
  record JdbcUrl(String url, String user, String password) {
    static JdbcUrl of(String databaseUrl) {
      String value = databaseUrl.strip();
      if (value.startsWith("jdbc:")) {
        return new JdbcUrl(value, null, null);
      }
      URI uri;
      try {
        uri = URI.create(value);
      } catch (IllegalArgumentException e) {
        throw new StoreException("DATABASE_URL is not a URL", null);
      }
      String scheme = uri.getScheme();
      if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
        throw new StoreException(
            "DATABASE_URL must be a postgresql:// URL or a jdbc: URL, got " + scheme + "://", null);
      }
      String user = null;
      String password = null;
      String userInfo = uri.getRawUserInfo();
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
      }
      String host = uri.getHost() == null ? "localhost" : uri.getHost();
      String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return new JdbcUrl(
          "jdbc:postgresql://"
              + host
              + port
              + (uri.getRawPath() == null ? "/" : uri.getRawPath())
              + query,
          user,
          password);
    }

    private static String decode(String part) {
      return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "JdbcUrl[" + url + "]";
    }
  }
}
