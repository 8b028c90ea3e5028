package io.feathergate.config;

import java.time.Duration;
import java.util.Map;

/**
 * {@code router_settings}: the default timeouts here, the router's keys in {@link
 * RouterConfigParser}, the Redis keys in {@link RedisSettingsParser}. Keys for features that are
 * not built (tag filtering, provider budgets, the response cache) warn once each, so nobody
 * believes they are active: LiteLLM users already complain about router keys that are dropped
 * silently (#37301).
 */
final class RouterSettingsParser {
  static final String SECTION = "router_settings";

  private static final KeyRules KEYS =
      new KeyRules()
          .accept("timeout", "stream_timeout")
          .accept(
              "routing_strategy",
              "routing_strategy_args",
              "num_retries",
              "retry_after",
              "retry_policy",
              "model_group_retry_policy",
              "fallbacks",
              "context_window_fallbacks",
              "content_policy_fallbacks",
              "default_fallbacks",
              "max_fallbacks",
              "allowed_fails",
              "allowed_fails_policy",
              "cooldown_time",
              "disable_cooldowns",
              "model_group_alias",
              "enable_pre_call_checks",
              "default_max_parallel_requests")
          .warn(
              KeyRules.NOT_HONOURED,
              "optional_pre_call_checks",
              "enable_tag_filtering",
              "tag_filtering_match_any",
              "default_litellm_params",
              "provider_budget_config")
          // the one Redis, read by RedisSettingsParser
          .accept("redis_host", "redis_port", "redis_password", "redis_db", "redis_url")
          .warn(
              "the response cache is set in litellm_settings (cache, cache_params); ignored",
              "cache_responses",
              "cache_kwargs")
          .warn(KeyRules.NOT_SUPPORTED, "set_verbose", "debug_level");

  private RouterSettingsParser() {}

  /**
   * @param requestTimeout {@code litellm_settings.request_timeout}, the fallback for {@code
   *     timeout}, or null
   */
  static TimeoutDefaults parse(
      Map<String, Object> settings, Duration requestTimeout, Problems problems) {
    KEYS.check(settings, SECTION, problems);
    Duration timeout = seconds(settings, "timeout", problems);
    if (timeout == null) {
      timeout = requestTimeout != null ? requestTimeout : TimeoutDefaults.DEFAULT_TIMEOUT;
    }
    return new TimeoutDefaults(timeout, seconds(settings, "stream_timeout", problems));
  }

  private static Duration seconds(Map<String, Object> settings, String key, Problems problems) {
    Object value = settings.get(key);
    if (value == null) {
      return null;
    }
    try {
      return Values.seconds(value, YamlPath.child(SECTION, key));
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; using the default");
      return null;
    }
  }
}
