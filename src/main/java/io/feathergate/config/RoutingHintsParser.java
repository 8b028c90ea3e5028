package io.feathergate.config;

import io.feathergate.core.RoutingHints;
import java.util.Map;

/**
 * A deployment's routing hints: {@code weight}, {@code rpm}, {@code tpm} (inside {@code
 * litellm_params}, or beside it as in LiteLLM's load_balancer.yaml; inside wins), {@code order},
 * {@code max_parallel_requests}, {@code num_retries}, {@code cooldown_time} and {@code
 * model_info.max_input_tokens}. A bad value is reported with its path and left unset: the
 * deployment still serves, without that hint.
 */
final class RoutingHintsParser {
  private final Problems problems;

  RoutingHintsParser(Problems problems) {
    this.problems = problems;
  }

  RoutingHints parse(
      Map<String, Object> entry,
      String path,
      Map<String, Object> params,
      String paramsPath,
      Map<String, Object> modelInfo,
      String modelInfoPath) {
    RoutingHints hints = RoutingHints.NONE;
    Long rpm = whole(params, "rpm", paramsPath, 0);
    if (rpm == null) {
      rpm = whole(entry, "rpm", path, 0);
    }
    Long tpm = whole(params, "tpm", paramsPath, 0);
    if (tpm == null) {
      tpm = whole(entry, "tpm", path, 0);
    }
    if (rpm != null) {
      hints = hints.withRpm(rpm);
    }
    if (tpm != null) {
      hints = hints.withTpm(tpm);
    }
    Object weight = params.get("weight");
    if (weight != null) {
      try {
        hints =
            hints.withWeight(Values.positiveNumber(weight, child(paramsPath, "weight"), "shares"));
      } catch (InvalidValueException e) {
        problems.error(e.path(), e.problem() + "; ignored");
      }
    }
    Long order = whole(params, "order", paramsPath, 1);
    if (order != null) {
      hints = hints.withOrder((int) Math.min(order, Integer.MAX_VALUE));
    }
    Long parallel = whole(params, "max_parallel_requests", paramsPath, 1);
    if (parallel != null) {
      hints = hints.withMaxParallelRequests((int) Math.min(parallel, Integer.MAX_VALUE));
    }
    Long retries = whole(params, "num_retries", paramsPath, 0);
    if (retries != null) {
      hints = hints.withNumRetries((int) Math.min(retries, Integer.MAX_VALUE));
    }
    Object cooldown = params.get("cooldown_time");
    if (cooldown != null) {
      try {
        hints =
            hints.withCooldownTime(Values.seconds(cooldown, child(paramsPath, "cooldown_time")));
      } catch (InvalidValueException e) {
        problems.error(e.path(), e.problem() + "; ignored");
      }
    }
    Long maxInput = whole(modelInfo, "max_input_tokens", modelInfoPath, 1);
    if (maxInput != null) {
      hints = hints.withMaxInputTokens(maxInput);
    }
    return hints;
  }

  /** A whole number of at least {@code least}, or null when absent or reported as bad. */
  private Long whole(Map<String, Object> map, String key, String path, long least) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    try {
      long number = Values.nonNegativeInt(value, child(path, key));
      if (number < least) {
        problems.error(child(path, key), "must be at least " + least + "; ignored");
        return null;
      }
      return number;
    } catch (InvalidValueException e) {
      problems.error(e.path(), e.problem() + "; ignored");
      return null;
    }
  }

  private static String child(String path, String key) {
    return YamlPath.child(path, key);
  }
}
