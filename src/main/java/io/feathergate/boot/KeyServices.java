package io.feathergate.boot;

import io.feathergate.api.ApiServices;
import io.feathergate.core.Deployment;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.TokenPrices;
import io.feathergate.core.auth.Authenticator;
import io.feathergate.core.auth.MasterKeyAuthenticator;
import io.feathergate.core.keys.KeyAdmission;
import io.feathergate.core.keys.KeyAuthenticator;
import io.feathergate.core.keys.KeyDirectory;
import io.feathergate.core.keys.KeyService;
import io.feathergate.core.keys.PriceTable;
import io.feathergate.core.keys.SpendLedger;
import io.feathergate.core.keys.StoreHealth;
import io.feathergate.core.keys.TeamsAndUsers;
import io.feathergate.core.routing.DeploymentCounters;
import io.feathergate.store.Database;
import io.feathergate.store.JdbcKeyStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Virtual keys, budgets and spend, put together: on a gateway with a master key, the key database
 * (opened when first needed), the key cache, the spend ledger and its background writer; on one
 * without, only the response cost. Closing writes what is unwritten and closes the database.
 */
final class KeyServices implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("io.feathergate");

  /** The data directory, unless {@code --data-dir} or {@code FEATHERGATE_DATA_DIR} says. */
  static final String DATA_DIR_PROPERTY = "feathergate.data.dir";

  static final String DATA_DIR_ENV = "FEATHERGATE_DATA_DIR";

  /**
   * A JNDI name of the container's DataSource other than {@code java:comp/env/jdbc/feathergate}.
   */
  static final String DATASOURCE_PROPERTY = "feathergate.datasource";

  static final String DATASOURCE_ENV = "FEATHERGATE_DATASOURCE";

  final Authenticator authenticator;
  final KeyAdmission admission;
  final ApiServices.Management management;
  private final Database database;
  private final KeyDirectory directory;
  private final ScheduledExecutorService writer;

  private final SpendLedger ledger;

  private KeyServices(
      Authenticator authenticator,
      KeyAdmission admission,
      ApiServices.Management management,
      SpendLedger ledger,
      Database database,
      KeyDirectory directory,
      ScheduledExecutorService writer) {
    this.authenticator = authenticator;
    this.admission = admission;
    this.management = management;
    this.ledger = ledger;
    this.database = database;
    this.directory = directory;
    this.writer = writer;
  }

  /** Spend in memory, or null on a gateway without a master key. */
  SpendLedger ledger() {
    return ledger;
  }

  /** The keys in memory, or null on a gateway without a master key. */
  KeyDirectory directory() {
    return directory;
  }

  static KeyServices start(
      GatewaySettings settings,
      List<Deployment> deployments,
      DeploymentCounters counters,
      boolean lookUpJndi,
      Clock clock) {
    PriceTable prices = PriceTable.shipped();
    Map<String, TokenPrices> groupPrices = groupPrices(deployments, prices);
    MasterKeyAuthenticator masterKey = new MasterKeyAuthenticator(settings);
    if (settings.masterKey() == null) {
      // an open gateway (or one whose master key is broken) has no keys to manage
      return new KeyServices(
          masterKey,
          new KeyAdmission(null, counters, prices, groupPrices, clock),
          null,
          null,
          null,
          null,
          null);
    }
    Database database =
        new Database(settings.database().url(), dataDir(), lookUpJndi ? dataSourceName() : null);
    JdbcKeyStore store = new JdbcKeyStore(database);
    StoreHealth health = new StoreHealth(clock);
    SpendLedger ledger =
        new SpendLedger(store, clock, health, SpendLedger.DEFAULT_MAX_PENDING_ROWS);
    KeyDirectory directory =
        new KeyDirectory(store, ledger, health, settings.database().keyCacheTtl());
    ScheduledExecutorService writer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "feathergate-spend-writer");
              thread.setDaemon(true);
              return thread;
            });
    long every = Math.max(100, settings.database().spendWriteInterval().toMillis());
    // runs until close(); nobody waits for it
    ScheduledFuture<?> unused =
        writer.scheduleWithFixedDelay(ledger::flush, every, every, TimeUnit.MILLISECONDS);
    if (database.exists()) {
      // a configured or existing database is opened and migrated now, off the start's path
      writer.execute(() -> openEarly(database, health));
    }
    KeyService keys = new KeyService(store, directory, ledger, clock);
    return new KeyServices(
        new KeyAuthenticator(settings, masterKey, directory, clock),
        new KeyAdmission(ledger, counters, prices, groupPrices, clock),
        new ApiServices.Management(
            keys, new TeamsAndUsers(store, directory, keys, clock), health, ledger),
        ledger,
        database,
        directory,
        writer);
  }

  private static void openEarly(Database database, StoreHealth health) {
    try {
      database.open();
      LOG.info(() -> "key database: " + database.description());
    } catch (RuntimeException e) {
      health.failed(e);
    }
  }

  /** The highest prices among each group's deployments: what a call to the group may cost. */
  private static Map<String, TokenPrices> groupPrices(
      List<Deployment> deployments, PriceTable prices) {
    Map<String, TokenPrices> byGroup = new HashMap<>();
    for (Deployment deployment : deployments) {
      TokenPrices own = prices.prices(deployment);
      if (!own.known()) {
        continue;
      }
      byGroup.merge(
          deployment.modelGroup(),
          own,
          (a, b) -> a.output() + a.input() >= b.output() + b.input() ? a : b);
    }
    return byGroup;
  }

  /**
   * The container's DataSource: {@code feathergate.datasource} or its variable, else the default.
   */
  static String dataSourceName() {
    String property = System.getProperty(DATASOURCE_PROPERTY);
    if (property != null && !property.isBlank()) {
      return property.strip();
    }
    String env = System.getenv(DATASOURCE_ENV);
    return env != null && !env.isBlank() ? env.strip() : Database.JNDI_NAME;
  }

  static Path dataDir() {
    String property = System.getProperty(DATA_DIR_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String env = System.getenv(DATA_DIR_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".feathergate");
  }

  @Override
  public void close() {
    if (writer == null) {
      return;
    }
    writer.shutdownNow();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // a clean shutdown loses nothing: the last spend and rows are written before the database goes
    if (!ledger.flush()) {
      LOG.warning(
          () ->
              "the key database was unavailable at shutdown; "
                  + ledger.pendingRows()
                  + " spend-log rows could not be written");
    }
    directory.close();
    database.close();
  }
}
