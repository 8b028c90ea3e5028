package io.feathergate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feathergate.core.auth.Budgeted;
import io.feathergate.core.auth.Team;
import io.feathergate.core.auth.User;
import io.feathergate.core.auth.VirtualKey;
import io.feathergate.core.keys.KeyStore;
import io.feathergate.core.keys.SpendLogRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Keys and spend in a SQL database (H2 or PostgreSQL), every value bound as a parameter. Reads of a
 * database that was never made find nothing rather than make it.
 */
public final class JdbcKeyStore implements KeyStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_COLUMNS =
      "token_hash, key_name, key_alias, user_id, team_id, models, max_budget, soft_budget,"
          + " budget_duration, budget_reset_at, spend, expires, blocked, rpm_limit, tpm_limit,"
          + " max_parallel_requests, metadata, aliases, created_at, created_by, updated_at,"
          + " model_rpm_limit, model_tpm_limit";
  private static final String LOG_COLUMNS =
      "request_id, call_type, api_key, spend, prompt_tokens, completion_tokens, total_tokens,"
          + " start_time, end_time, model, model_id, model_group, provider, user_id, team_id,"
          + " status, http_status, cache_hit";

  private final Database database;

  public JdbcKeyStore(Database database) {
    this.database = database;
  }

  /** The database to read, or null when none was ever made (nothing to find then). */
  private DataSource forReading() {
    DataSource open = database.openedOrNull();
    if (open != null) {
      return open;
    }
    return database.exists() ? database.open() : null;
  }

  @Override
  public Optional<VirtualKey> find(String tokenHash) {
    return findBy("token_hash", tokenHash);
  }

  @Override
  public Optional<VirtualKey> findByAlias(String keyAlias) {
    return findBy("key_alias", keyAlias);
  }

  private Optional<VirtualKey> findBy(String column, String value) {
    // the column is one of two constants, never the caller's text
    return queryRows(
            "SELECT " + KEY_COLUMNS + " FROM fg_key WHERE " + column + " = ?",
            s -> s.setString(1, value),
            JdbcKeyStore::key,
            "a key")
        .stream()
        .findFirst();
  }

  @Override
  public void insert(VirtualKey key) {
    saveKey(key, true);
  }

  @Override
  public boolean update(VirtualKey key) {
    return saveKey(key, false);
  }

  /** A key row; its spend starts at the column's default and changes only by {@link #addSpend}. */
  private boolean saveKey(VirtualKey key, boolean create) {
    return saveBudgeted(
        "fg_key",
        "token_hash",
        List.of(
            "key_name",
            "key_alias",
            "user_id",
            "team_id",
            "soft_budget",
            "expires",
            "blocked",
            "aliases",
            "created_by",
            "model_rpm_limit",
            "model_tpm_limit"),
        s -> {
          s.setString(1, key.keyName());
          s.setString(2, key.keyAlias());
          s.setString(3, key.userId());
          s.setString(4, key.teamId());
          setDouble(s, 5, key.softBudget());
          setInstant(s, 6, key.expires());
          s.setBoolean(7, key.blocked());
          s.setString(8, json(key.aliases()));
          s.setString(9, key.createdBy());
          s.setString(10, json(key.modelLimits().rpm()));
          s.setString(11, json(key.modelLimits().tpm()));
        },
        key,
        key.tokenHash(),
        key.metadata(),
        key.createdAt(),
        key.updatedAt(),
        create);
  }

  @Override
  public boolean rehash(String oldTokenHash, String newTokenHash, String newKeyName, Instant at) {
    String sql =
        "UPDATE fg_key SET token_hash = ?, key_name = ?, updated_at = ? WHERE token_hash = ?";
    try (Connection c = database.open().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, newTokenHash);
      s.setString(2, newKeyName);
      setInstant(s, 3, at);
      s.setString(4, oldTokenHash);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failed("regenerate a key", e);
    }
  }

  @Override
  public List<String> delete(Collection<String> tokenHashes) {
    List<String> deleted = new ArrayList<>();
    DataSource source = forReading();
    if (source == null) {
      return deleted;
    }
    try (Connection c = source.getConnection();
        PreparedStatement s = c.prepareStatement("DELETE FROM fg_key WHERE token_hash = ?")) {
      for (String hash : tokenHashes) {
        s.setString(1, hash);
        if (s.executeUpdate() == 1) {
          deleted.add(hash);
        }
      }
      return deleted;
    } catch (SQLException e) {
      throw failed("delete keys", e);
    }
  }

  @Override
  public KeyPage list(KeyFilter filter, int page, int size) {
    DataSource source = forReading();
    if (source == null) {
      return new KeyPage(List.of(), 0);
    }
    String where =
        " FROM fg_key WHERE (? IS NULL OR user_id = ?) AND (? IS NULL OR team_id = ?)"
            + " AND (? IS NULL OR key_alias = ?)";
    long total;
    try (Connection c = source.getConnection();
        PreparedStatement count = c.prepareStatement("SELECT COUNT(*)" + where)) {
      bindFilter(count, filter);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failed("count keys", e);
    }
    List<VirtualKey> keys =
        queryRows(
            "SELECT "
                + KEY_COLUMNS
                + where
                + " ORDER BY created_at DESC, token_hash LIMIT ? OFFSET ?",
            s -> {
              bindFilter(s, filter);
              s.setInt(7, size);
              s.setLong(8, (long) (page - 1) * size);
            },
            JdbcKeyStore::key,
            "keys");
    return new KeyPage(keys, total);
  }

  private static void bindFilter(PreparedStatement s, KeyFilter filter) throws SQLException {
    String[] values = {filter.userId(), filter.teamId(), filter.keyAlias()};
    for (int i = 0; i < values.length; i++) {
      s.setObject(2 * i + 1, values[i], Types.VARCHAR);
      s.setObject(2 * i + 2, values[i], Types.VARCHAR);
    }
  }

  /** The table and id column of a scope's kind: constants, never the caller's text. */
  private static String[] tableOf(String scope) {
    return switch (scope.substring(0, scope.indexOf(':'))) {
      case "key" -> new String[] {"fg_key", "token_hash"};
      case "team" -> new String[] {"fg_team", "team_id"};
      case "user" -> new String[] {"fg_user", "user_id"};
      default -> throw new IllegalArgumentException("no table for " + scope);
    };
  }

  @Override
  public void addSpend(Collection<SpendDelta> deltas) {
    try (Connection c = database.open().getConnection()) {
      c.setAutoCommit(false);
      try {
        for (SpendDelta delta : deltas) {
          addSpend(c, delta);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failed("write spend", e);
    }
  }

  private static void addSpend(Connection c, SpendDelta delta) throws SQLException {
    String[] table = tableOf(delta.scope());
    String id = delta.scope().substring(delta.scope().indexOf(':') + 1);
    if (delta.windowEnd() == null) {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE " + table[0] + " SET spend = spend + ? WHERE " + table[1] + " = ?")) {
        s.setDouble(1, delta.amount());
        s.setString(2, id);
        s.executeUpdate();
      }
      return;
    }
    // spend of the row's window is added; a newer window starts from it; an older one is dropped
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + table[0]
                + " SET spend = CASE WHEN budget_reset_at = ? THEN spend + ?"
                + " WHEN budget_reset_at IS NULL OR budget_reset_at < ? THEN ? ELSE spend END,"
                + " budget_reset_at = CASE WHEN budget_reset_at IS NULL OR budget_reset_at < ?"
                + " THEN ? ELSE budget_reset_at END WHERE "
                + table[1]
                + " = ?")) {
      setInstant(s, 1, delta.windowEnd());
      s.setDouble(2, delta.amount());
      setInstant(s, 3, delta.windowEnd());
      s.setDouble(4, delta.amount());
      setInstant(s, 5, delta.windowEnd());
      setInstant(s, 6, delta.windowEnd());
      s.setString(7, id);
      s.executeUpdate();
    }
  }

  /** What team and user rows share: a budget, limits and models, written in this order. */
  private static final String BUDGET_COLUMNS =
      "models, max_budget, budget_duration, budget_reset_at, rpm_limit, tpm_limit,"
          + " max_parallel_requests";

  private static final String TEAM_COLUMNS =
      "team_id, team_alias, "
          + BUDGET_COLUMNS
          + ", spend, blocked, members, metadata, created_at, updated_at";

  private static final String USER_COLUMNS =
      "user_id, user_email, user_role, "
          + BUDGET_COLUMNS
          + ", spend, metadata, created_at, updated_at";

  /** The shared columns of a team or user row, read. */
  private record BudgetRow(
      List<String> models,
      Double maxBudget,
      String budgetDuration,
      Instant budgetResetAt,
      double spend,
      Long rpmLimit,
      Long tpmLimit,
      Long maxParallelRequests,
      String metadata,
      Instant createdAt,
      Instant updatedAt) {

    static BudgetRow of(ResultSet rs) throws SQLException {
      return new BudgetRow(
          fromJson(rs.getString("models"), new TypeReference<List<String>>() {}),
          nullableDouble(rs, "max_budget"),
          rs.getString("budget_duration"),
          instant(rs, rs.findColumn("budget_reset_at")),
          rs.getDouble("spend"),
          nullableLong(rs, "rpm_limit"),
          nullableLong(rs, "tpm_limit"),
          nullableLong(rs, "max_parallel_requests"),
          rs.getString("metadata"),
          instant(rs, rs.findColumn("created_at")),
          instant(rs, rs.findColumn("updated_at")));
    }
  }

  /** Reads one row of a query into an object. */
  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs, BudgetRow budget) throws SQLException;
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  private <T> List<T> queryRows(String sql, Binder parameters, RowReader<T> reader, String what) {
    DataSource source = forReading();
    List<T> rows = new ArrayList<>();
    if (source == null) {
      return rows;
    }
    try (Connection c = source.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      parameters.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(reader.read(rs, BudgetRow.of(rs)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw failed("read " + what, e);
    }
  }

  private static Team team(ResultSet rs, BudgetRow b) throws SQLException {
    return new Team(
        rs.getString("team_id"),
        rs.getString("team_alias"),
        b.models(),
        b.maxBudget(),
        b.budgetDuration(),
        b.budgetResetAt(),
        b.spend(),
        b.rpmLimit(),
        b.tpmLimit(),
        b.maxParallelRequests(),
        rs.getBoolean("blocked"),
        fromJson(rs.getString("members"), new TypeReference<List<Team.Member>>() {}),
        b.metadata(),
        b.createdAt(),
        b.updatedAt());
  }

  private static User user(ResultSet rs, BudgetRow b) throws SQLException {
    return new User(
        rs.getString("user_id"),
        rs.getString("user_email"),
        rs.getString("user_role"),
        b.models(),
        b.maxBudget(),
        b.budgetDuration(),
        b.budgetResetAt(),
        b.spend(),
        b.rpmLimit(),
        b.tpmLimit(),
        b.maxParallelRequests(),
        b.metadata(),
        b.createdAt(),
        b.updatedAt());
  }

  @Override
  public Optional<Team> findTeam(String teamId) {
    return queryRows(
            "SELECT " + TEAM_COLUMNS + " FROM fg_team WHERE team_id = ?",
            s -> s.setString(1, teamId),
            JdbcKeyStore::team,
            "a team")
        .stream()
        .findFirst();
  }

  @Override
  public List<Team> listTeams() {
    return queryRows(
        "SELECT " + TEAM_COLUMNS + " FROM fg_team ORDER BY team_id",
        s -> {},
        JdbcKeyStore::team,
        "teams");
  }

  @Override
  public Optional<User> findUser(String userId) {
    return queryRows(
            "SELECT " + USER_COLUMNS + " FROM fg_user WHERE user_id = ?",
            s -> s.setString(1, userId),
            JdbcKeyStore::user,
            "a user")
        .stream()
        .findFirst();
  }

  @Override
  public List<User> listUsers(int page, int size) {
    return queryRows(
        "SELECT " + USER_COLUMNS + " FROM fg_user ORDER BY user_id LIMIT ? OFFSET ?",
        s -> {
          s.setInt(1, size);
          s.setLong(2, (long) (page - 1) * size);
        },
        JdbcKeyStore::user,
        "users");
  }

  @Override
  public void saveTeam(Team team, boolean create) {
    boolean written =
        saveBudgeted(
            "fg_team",
            "team_id",
            List.of("team_alias", "blocked", "members"),
            s -> {
              s.setString(1, team.teamAlias());
              s.setBoolean(2, team.blocked());
              s.setString(3, json(team.members()));
            },
            team,
            team.teamId(),
            team.metadata(),
            team.createdAt(),
            team.updatedAt(),
            create);
    if (!written) {
      throw new StoreException("the team " + team.teamId() + " is gone", null);
    }
  }

  @Override
  public void saveUser(User user, boolean create) {
    boolean written =
        saveBudgeted(
            "fg_user",
            "user_id",
            List.of("user_email", "user_role"),
            s -> {
              s.setString(1, user.userEmail());
              s.setString(2, user.userRole());
            },
            user,
            user.userId(),
            user.metadata(),
            user.createdAt(),
            user.updatedAt(),
            create);
    if (!written) {
      throw new StoreException("the user " + user.userId() + " is gone", null);
    }
  }

  /**
   * Saves a team or user row (all but its spend): its own columns first, bound by {@code own}, then
   * the budget columns, metadata and times. Table and column names are this class's constants.
   */
  private boolean saveBudgeted(
      String table,
      String idColumn,
      List<String> ownColumns,
      Binder own,
      Budgeted row,
      String id,
      String metadata,
      Instant createdAt,
      Instant updatedAt,
      boolean create) {
    List<String> columns = new ArrayList<>(ownColumns);
    columns.addAll(List.of(BUDGET_COLUMNS.split(", ")));
    columns.add("metadata");
    columns.add("updated_at");
    String sql =
        create
            ? "INSERT INTO "
                + table
                + " ("
                + String.join(", ", columns)
                + ", "
                + idColumn
                + ", created_at) VALUES ("
                + "?, ".repeat(columns.size() + 1)
                + "?)"
            : "UPDATE "
                + table
                + " SET "
                + String.join(" = ?, ", columns)
                + " = ? WHERE "
                + idColumn
                + " = ?";
    String kind = table.substring("fg_".length());
    try (Connection c = database.open().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      own.bind(s);
      int i = ownColumns.size();
      s.setString(++i, json(row.models()));
      setDouble(s, ++i, row.maxBudget());
      s.setString(++i, row.budgetDuration());
      setInstant(s, ++i, row.budgetResetAt());
      setLong(s, ++i, row.rpmLimit());
      setLong(s, ++i, row.tpmLimit());
      setLong(s, ++i, row.maxParallelRequests());
      s.setString(++i, metadata);
      setInstant(s, ++i, updatedAt);
      s.setString(++i, id);
      if (create) {
        setInstant(s, ++i, createdAt);
      }
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      if (isDuplicate(e)) {
        throw new DuplicateKeyException("a " + kind + " with this " + idColumn + " already exists");
      }
      throw failed("save a " + kind, e);
    }
  }

  @Override
  public List<String> deleteTeams(Collection<String> teamIds) {
    return deleteRows("fg_team", "team_id", teamIds);
  }

  @Override
  public List<String> deleteUsers(Collection<String> userIds) {
    return deleteRows("fg_user", "user_id", userIds);
  }

  /** Deletes rows by id; {@code table} and {@code column} are constants of this class. */
  private List<String> deleteRows(String table, String column, Collection<String> ids) {
    List<String> deleted = new ArrayList<>();
    DataSource source = forReading();
    if (source == null) {
      return deleted;
    }
    try (Connection c = source.getConnection();
        PreparedStatement s =
            c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " = ?")) {
      for (String id : ids) {
        s.setString(1, id);
        if (s.executeUpdate() == 1) {
          deleted.add(id);
        }
      }
      return deleted;
    } catch (SQLException e) {
      throw failed("delete from " + table, e);
    }
  }

  @Override
  public List<SpendTotal> spendReport(SpendGrouping grouping, Instant from, Instant to) {
    DataSource source = forReading();
    List<SpendTotal> totals = new ArrayList<>();
    if (source == null) {
      return totals;
    }
    // the grouping column is an enum constant's; the dates are parameters
    String day = "CAST((start_time AT TIME ZONE 'UTC') AS DATE)";
    String sql =
        "SELECT "
            + day
            + " AS spend_day, "
            + grouping.column
            + " AS spend_group, SUM(spend), SUM(total_tokens), COUNT(*) FROM fg_spend_log"
            + " WHERE start_time >= ? AND start_time < ? GROUP BY "
            + day
            + ", "
            + grouping.column
            + " ORDER BY spend_day, spend_group";
    try (Connection c = source.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      setInstant(s, 1, from == null ? Instant.EPOCH : from);
      setInstant(s, 2, to == null ? Instant.parse("9999-01-01T00:00:00Z") : to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          totals.add(
              new SpendTotal(
                  rs.getObject(1, java.time.LocalDate.class),
                  rs.getString(2),
                  rs.getDouble(3),
                  rs.getLong(4),
                  rs.getLong(5)));
        }
      }
      return totals;
    } catch (SQLException e) {
      throw failed("report spend", e);
    }
  }

  @Override
  public void insertSpendLogs(List<SpendLogRow> rows) {
    String sql =
        "INSERT INTO fg_spend_log ("
            + LOG_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    // spend rows alone never make the embedded database: a gateway whose master key is its only
    // key keeps no file until a key, team or user is made (the rows of such a gateway are dropped)
    DataSource source = forReading();
    if (source == null) {
      return;
    }
    try (Connection c = source.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (SpendLogRow row : rows) {
          // cut to the columns' sizes: one over-long value (a wildcard group's model name) must not
          // fail its whole batch again and again
          s.setString(1, cut(row.requestId(), 255));
          s.setString(2, cut(row.callType(), 64));
          s.setString(3, cut(row.apiKey(), 64));
          s.setDouble(4, row.spend());
          s.setLong(5, row.promptTokens());
          s.setLong(6, row.completionTokens());
          s.setLong(7, row.totalTokens());
          setInstant(s, 8, row.startTime());
          setInstant(s, 9, row.endTime());
          s.setString(10, cut(row.model(), 255));
          s.setString(11, cut(row.modelId(), 255));
          s.setString(12, cut(row.modelGroup(), 255));
          s.setString(13, cut(row.provider(), 64));
          s.setString(14, cut(row.userId(), 255));
          s.setString(15, cut(row.teamId(), 255));
          s.setString(16, cut(row.status(), 16));
          s.setInt(17, row.httpStatus());
          s.setBoolean(18, row.cacheHit());
          s.addBatch();
        }
        s.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failed("write spend logs", e);
    }
  }

  @Override
  public List<SpendLogRow> spendLogs(SpendLogFilter filter) {
    DataSource source = forReading();
    List<SpendLogRow> rows = new ArrayList<>();
    if (source == null) {
      return rows;
    }
    String sql =
        "SELECT "
            + LOG_COLUMNS
            + " FROM fg_spend_log WHERE (? IS NULL OR api_key = ?) AND (? IS NULL OR request_id = ?)"
            + " AND (? IS NULL OR user_id = ?) AND start_time >= ? AND start_time < ?"
            + " ORDER BY start_time, id LIMIT ?";
    try (Connection c = source.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      String[] values = {filter.tokenHash(), filter.requestId(), filter.userId()};
      for (int i = 0; i < values.length; i++) {
        s.setObject(2 * i + 1, values[i], Types.VARCHAR);
        s.setObject(2 * i + 2, values[i], Types.VARCHAR);
      }
      setInstant(s, 7, filter.from() == null ? Instant.EPOCH : filter.from());
      setInstant(s, 8, filter.to() == null ? Instant.parse("9999-01-01T00:00:00Z") : filter.to());
      s.setInt(9, filter.limit());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new SpendLogRow(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getDouble(4),
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  instant(rs, 8),
                  instant(rs, 9),
                  rs.getString(10),
                  rs.getString(11),
                  rs.getString(12),
                  rs.getString(13),
                  rs.getString(14),
                  rs.getString(15),
                  rs.getString(16),
                  rs.getInt(17),
                  rs.getBoolean(18)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw failed("read spend logs", e);
    }
  }

  @Override
  public void ping() {
    try (Connection c = database.open().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT 1")) {
      s.executeQuery().close();
    } catch (SQLException e) {
      throw failed("reach the database", e);
    }
  }

  private static VirtualKey key(ResultSet rs, BudgetRow b) throws SQLException {
    return new VirtualKey(
        rs.getString("token_hash"),
        rs.getString("key_name"),
        rs.getString("key_alias"),
        rs.getString("user_id"),
        rs.getString("team_id"),
        b.models(),
        b.maxBudget(),
        nullableDouble(rs, "soft_budget"),
        b.budgetDuration(),
        b.budgetResetAt(),
        b.spend(),
        instant(rs, rs.findColumn("expires")),
        rs.getBoolean("blocked"),
        b.rpmLimit(),
        b.tpmLimit(),
        b.maxParallelRequests(),
        b.metadata(),
        fromJson(rs.getString("aliases"), new TypeReference<Map<String, String>>() {}),
        b.createdAt(),
        rs.getString("created_by"),
        b.updatedAt(),
        new VirtualKey.ModelLimits(limits(rs, "model_rpm_limit"), limits(rs, "model_tpm_limit")));
  }

  private static Map<String, Long> limits(ResultSet rs, String column) throws SQLException {
    String text = rs.getString(column);
    return text == null ? Map.of() : fromJson(text, new TypeReference<Map<String, Long>>() {});
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? null : value;
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static void setInstant(PreparedStatement s, int index, Instant value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      s.setObject(index, value.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }

  private static void setDouble(PreparedStatement s, int index, Double value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.DOUBLE);
    } else {
      s.setDouble(index, value);
    }
  }

  private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("lists and maps of strings always serialise", e);
    }
  }

  private static <T> T fromJson(String text, TypeReference<T> type) {
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("a key row holds malformed JSON", e);
    }
  }

  private static boolean isDuplicate(SQLException e) {
    // 23505: unique violation in PostgreSQL and H2
    return e instanceof SQLIntegrityConstraintViolationException || "23505".equals(e.getSQLState());
  }

  private static StoreException failed(String what, SQLException e) {
    return new StoreException("the key database could not " + what + ": " + e.getMessage(), e);
  }
}
