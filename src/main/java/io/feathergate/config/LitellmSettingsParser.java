package io.feathergate.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code litellm_settings}, LiteLLM's module-level settings: {@code request_timeout} is used now,
 * the rest is checked and either accepted or warned about.
 */
final class LitellmSettingsParser {
  static final String SECTION = "litellm_settings";
  private static final List<String> CALLBACK_KEYS =
      List.of("callbacks", "success_callback", "failure_callback", "service_callbacks");

  private static final KeyRules KEYS =
      new KeyRules()
          .accept("request_timeout", "drop_params", "cache", "cache_params")
          .accept(CALLBACK_KEYS.toArray(String[]::new))
          // the router's legacy location, read by RouterConfigParser
          .accept(RouterConfigParser.LEGACY_KEYS.toArray(String[]::new))
          .warn(KeyRules.NOT_HONOURED, "modify_params", "require_auth_for_metrics_endpoint")
          .warn(
              "logging goes through the container's java.util.logging; ignored",
              "set_verbose",
              "json_logs")
          .warn(
              KeyRules.NOT_SUPPORTED,
              "prometheus_metrics_config",
              "custom_prometheus_metadata_labels",
              "custom_prometheus_tags",
              "prometheus_emit_stream_label",
              "include_cost_in_streaming_usage",
              "network_mock",
              "telemetry",
              "turn_off_message_logging",
              "redact_user_api_key_info",
              "force_ipv4",
              "default_team_settings",
              "max_budget",
              "budget_duration",
              "max_internal_user_budget",
              "internal_user_budget_duration",
              "upperbound_key_generate_params",
              "default_key_generate_params",
              "guardrails",
              "ssl_verify",
              "enable_json_schema_validation",
              "disable_end_user_cost_tracking",
              "global_disable_no_log_param");

  private LitellmSettingsParser() {}

  /** Reads the section; a value that cannot be used is reported and left at its default. */
  static LitellmSettings parse(Map<String, Object> settings, Problems problems) {
    KEYS.check(settings, SECTION, problems);
    boolean prometheus = false;
    for (String key : CALLBACK_KEYS) {
      prometheus |= checkCallbacks(settings.get(key), YamlPath.child(SECTION, key), problems);
    }
    boolean dropParams = false;
    Object dropParamsValue = settings.get("drop_params");
    if (dropParamsValue != null) {
      try {
        dropParams = Values.bool(dropParamsValue, YamlPath.child(SECTION, "drop_params"));
      } catch (InvalidValueException e) {
        problems.error(e.path(), e.problem() + "; ignored");
      }
    }
    return new LitellmSettings(requestTimeout(settings, problems), dropParams, prometheus);
  }

  private static Duration requestTimeout(Map<String, Object> settings, Problems problems) {
    Object requestTimeout = settings.get("request_timeout");
    if (requestTimeout == null) {
      return null;
    }
    try {
      return Values.seconds(requestTimeout, YamlPath.child(SECTION, "request_timeout"));
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default");
      return null;
    }
  }

  /**
   * {@code prometheus} turns on LiteLLM's metrics on {@code /metrics}; other integrations are not
   * available. Returns whether {@code prometheus} is named.
   */
  private static boolean checkCallbacks(Object value, String path, Problems problems) {
    List<?> names =
        value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
    boolean prometheus = false;
    for (Object name : names) {
      if ("prometheus".equals(name)) {
        prometheus = true;
      } else {
        String label = name instanceof String text ? "'" + text + "'" : Values.describe(name);
        problems.warn(path, "callback " + label + " is not supported; ignored");
      }
    }
    return prometheus;
  }
}
