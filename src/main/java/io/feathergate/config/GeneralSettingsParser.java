package io.feathergate.config;

import io.feathergate.config.EnvResolver.Resolved;
import io.feathergate.config.EnvResolver.UnsetVariable;
import io.feathergate.core.DatabaseSettings;
import io.feathergate.core.GatewaySettings;
import io.feathergate.core.Secret;
import java.time.Duration;
import java.util.Map;

/**
 * {@code general_settings}: the master key, the key header, the request size cap and body timeout,
 * stream usage, background health checks.
 */
final class GeneralSettingsParser {
  static final String SECTION = "general_settings";
  static final String MASTER_KEY_ENV = "LITELLM_MASTER_KEY";
  static final String DATABASE_URL_ENV = "DATABASE_URL";
  private static final String MASTER_KEY_PATH = YamlPath.child(SECTION, "master_key");
  private static final String FAILS_CLOSED = "; every protected route refuses requests until fixed";
  private static final double BYTES_PER_MB = 1024 * 1024;

  private static final KeyRules KEYS =
      new KeyRules()
          .accept(
              "master_key",
              "litellm_key_header_name",
              "max_request_size_mb",
              "always_include_stream_usage",
              "background_health_checks",
              "health_check_interval",
              "request_body_timeout",
              "custom_auth",
              "allow_client_side_credentials",
              "live_feed_max_subscribers",
              "database_url",
              "user_api_key_cache_ttl",
              "proxy_batch_write_at")
          .warn("models are read from the config only; ignored", "store_model_in_db")
          .warn(
              KeyRules.NOT_SUPPORTED,
              "disable_spend_logs",
              "disable_error_logs",
              "database_connection_pool_limit",
              "database_connection_timeout")
          .warn(
              "requests with keys already in memory are always served while the database is away;"
                  + " ignored",
              "allow_requests_on_db_unavailable")
          .warn(
              "FeatherGate migrates its schema with Flyway; ignored",
              "disable_prisma_schema_update")
          .warn(
              "secret managers are not supported: os.environ/ reads environment_variables and the"
                  + " process environment only",
              "key_management_system",
              "key_management_settings")
          .warn(
              KeyRules.NOT_SUPPORTED,
              "max_response_size_mb",
              "forward_client_headers_to_llm_api",
              "forward_openai_org_id",
              "allowed_ips",
              "use_x_forwarded_for",
              "max_parallel_requests",
              "global_max_parallel_requests",
              "health_check_details",
              "pass_through_endpoints",
              "completion_model",
              "embedding_model",
              "alerting",
              "alerting_threshold",
              "alert_types",
              "enforce_user_param",
              "ui_access_mode",
              "public_routes",
              "admin_only_routes",
              "allowed_routes",
              "enable_jwt_auth",
              "litellm_jwtauth");

  private GeneralSettingsParser() {}

  /**
   * @param section the resolved {@code general_settings}
   * @param env for the {@code LITELLM_MASTER_KEY} fallback
   */
  static GatewaySettings parse(Resolved section, EnvResolver env, Problems problems) {
    Map<String, Object> settings = Values.mapping(section.value(), SECTION);
    KEYS.check(settings, SECTION, problems);
    String masterKeyProblem = null;
    for (UnsetVariable variable : section.unset()) {
      if (variable.path().equals(MASTER_KEY_PATH)) {
        // fail closed: an unresolved key must not leave the gateway open
        masterKeyProblem = variable.problem();
        problems.error(variable.path(), variable.problem() + FAILS_CLOSED);
      } else {
        problems.warn(variable.path(), variable.problem() + "; treated as absent");
      }
    }
    Secret masterKey = null;
    if (masterKeyProblem == null) {
      try {
        masterKey = masterKey(settings, env);
      } catch (InvalidValueException e) {
        masterKeyProblem = "general_settings.master_key " + e.problem();
        problems.error(e.path(), e.problem() + FAILS_CLOSED);
      }
    }
    if (KeyRules.asksForSomething(settings.get("custom_auth"))) {
      String customAuthPath = YamlPath.child(SECTION, "custom_auth");
      String cannotRun = "custom auth modules are Python code and cannot run in FeatherGate";
      if (masterKey == null && masterKeyProblem == null) {
        // ignoring it without a master key would open a gateway its owner meant to protect
        masterKeyProblem = "general_settings.custom_auth cannot run in FeatherGate";
        problems.error(customAuthPath, cannotRun + "; set master_key" + FAILS_CLOSED);
      } else {
        problems.warn(customAuthPath, cannotRun + "; only the master key is checked");
      }
    }
    return GatewaySettings.builder()
        .masterKey(masterKey)
        .masterKeyProblem(masterKeyProblem)
        .customKeyHeader(customKeyHeader(settings, problems))
        .maxRequestBytes(maxRequestBytes(settings, problems))
        .alwaysIncludeStreamUsage(flag(settings, "always_include_stream_usage", problems))
        .backgroundHealthChecks(flag(settings, "background_health_checks", problems))
        .healthCheckInterval(healthCheckInterval(settings, problems))
        .requestBodyTimeout(requestBodyTimeout(settings, problems))
        .allowClientSideCredentials(flag(settings, "allow_client_side_credentials", problems))
        .liveFeedMaxSubscribers(liveFeedMaxSubscribers(settings, problems))
        .database(database(settings, section, env, problems))
        .build();
  }

  /** The database of virtual keys and spend; its URL may hold a password, so it is a secret. */
  private static DatabaseSettings database(
      Map<String, Object> settings, Resolved section, EnvResolver env, Problems problems) {
    String urlPath = YamlPath.child(SECTION, "database_url");
    Secret url = null;
    boolean unset = section.unset().stream().anyMatch(v -> v.path().equals(urlPath));
    if (!unset) {
      try {
        url = Secret.ofNullable(Values.scalarText(settings.get("database_url"), urlPath));
      } catch (InvalidValueException e) {
        problems.error(e.path(), e.problem() + "; the embedded database is used");
      }
      if (url == null && settings.get("database_url") == null) {
        url = Secret.ofNullable(env.lookup(DATABASE_URL_ENV));
      }
    }
    return new DatabaseSettings(
        url,
        durationSetting(
            settings, "user_api_key_cache_ttl", DatabaseSettings.DEFAULT_KEY_CACHE_TTL, problems),
        durationSetting(
            settings,
            "proxy_batch_write_at",
            DatabaseSettings.DEFAULT_SPEND_WRITE_INTERVAL,
            problems));
  }

  private static Duration durationSetting(
      Map<String, Object> settings, String key, Duration fallback, Problems problems) {
    Object value = settings.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Values.seconds(value, YamlPath.child(SECTION, key));
    } catch (InvalidValueException e) {
      problems.error(
          e.path(), e.problem() + "; using the default of " + fallback.toSeconds() + " seconds");
      return fallback;
    }
  }

  private static Duration healthCheckInterval(Map<String, Object> settings, Problems problems) {
    Object value = settings.get("health_check_interval");
    if (value == null) {
      return GatewaySettings.DEFAULT_HEALTH_CHECK_INTERVAL;
    }
    try {
      return Values.seconds(value, YamlPath.child(SECTION, "health_check_interval"));
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default of 300 seconds");
      return GatewaySettings.DEFAULT_HEALTH_CHECK_INTERVAL;
    }
  }

  /** FeatherGate's own key: LiteLLM leaves a stalled request body to its server's timeouts. */
  private static Duration requestBodyTimeout(Map<String, Object> settings, Problems problems) {
    Object value = settings.get("request_body_timeout");
    if (value == null) {
      return GatewaySettings.DEFAULT_REQUEST_BODY_TIMEOUT;
    }
    try {
      return Values.seconds(value, YamlPath.child(SECTION, "request_body_timeout"));
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default of 30 seconds");
      return GatewaySettings.DEFAULT_REQUEST_BODY_TIMEOUT;
    }
  }

  /**
   * The configured key, else env {@code LITELLM_MASTER_KEY} (#1851) when the key is absent. A key
   * written but empty is refused rather than read as "no auth".
   */
  private static Secret masterKey(Map<String, Object> settings, EnvResolver env) {
    Object value = settings.get("master_key");
    if (value == null) {
      return Secret.ofNullable(env.lookup(MASTER_KEY_ENV));
    }
    Secret key = Secret.ofNullable(Values.scalarText(value, MASTER_KEY_PATH));
    if (key == null) {
      throw new InvalidValueException(MASTER_KEY_PATH, "is empty");
    }
    return key;
  }

  private static String customKeyHeader(Map<String, Object> settings, Problems problems) {
    String path = YamlPath.child(SECTION, "litellm_key_header_name");
    try {
      String header = Values.text(settings.get("litellm_key_header_name"), path);
      return header == null || header.isBlank() ? null : header.strip();
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; ignored");
      return null;
    }
  }

  private static int liveFeedMaxSubscribers(Map<String, Object> settings, Problems problems) {
    Object value = settings.get("live_feed_max_subscribers");
    if (value == null) {
      return GatewaySettings.DEFAULT_LIVE_FEED_MAX_SUBSCRIBERS;
    }
    String path = YamlPath.child(SECTION, "live_feed_max_subscribers");
    try {
      double count = Values.positiveNumber(value, path, "subscribers");
      if (count != Math.rint(count) || count > 1024) {
        throw new InvalidValueException(path, "must be a whole number from 1 to 1024");
      }
      return (int) count;
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default");
      return GatewaySettings.DEFAULT_LIVE_FEED_MAX_SUBSCRIBERS;
    }
  }

  private static long maxRequestBytes(Map<String, Object> settings, Problems problems) {
    Object value = settings.get("max_request_size_mb");
    if (value == null) {
      return GatewaySettings.DEFAULT_MAX_REQUEST_BYTES;
    }
    try {
      double megabytes =
          Values.positiveNumber(value, YamlPath.child(SECTION, "max_request_size_mb"), "megabytes");
      return Math.max(1, Math.round(megabytes * BYTES_PER_MB));
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default");
      return GatewaySettings.DEFAULT_MAX_REQUEST_BYTES;
    }
  }

  private static boolean flag(Map<String, Object> settings, String key, Problems problems) {
    Object value = settings.get(key);
    if (value == null) {
      return false;
    }
    try {
      return Values.bool(value, YamlPath.child(SECTION, key));
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using false");
      return false;
    }
  }
}
