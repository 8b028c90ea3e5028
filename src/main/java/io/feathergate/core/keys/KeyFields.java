package io.feathergate.core.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.auth.Budgeted;
import io.feathergate.core.errors.GatewayException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a management body ({@code /key/generate}, {@code /team/new}, {@code /user/update},
 * ...), each checked on its own: a wrong one is a 400 that names it. LiteLLM's fields FeatherGate
 * does not enforce yet are refused when set rather than accepted and ignored, so that nobody
 * believes a limit holds that does not.
 */
final class KeyFields {
  static final Set<String> KEY_FIELDS =
      Set.of(
          "key",
          "key_alias",
          "duration",
          "models",
          "max_budget",
          "budget_duration",
          "soft_budget",
          "rpm_limit",
          "tpm_limit",
          "max_parallel_requests",
          "metadata",
          "user_id",
          "team_id",
          "aliases",
          "blocked",
          "expires",
          "model_rpm_limit",
          "model_tpm_limit");

  static final Set<String> TEAM_FIELDS =
      Set.of(
          "team_id",
          "team_alias",
          "models",
          "max_budget",
          "budget_duration",
          "rpm_limit",
          "tpm_limit",
          "max_parallel_requests",
          "members_with_roles",
          "metadata",
          "blocked");

  static final Set<String> USER_FIELDS =
      Set.of(
          "user_id",
          "user_email",
          "user_role",
          "models",
          "max_budget",
          "budget_duration",
          "rpm_limit",
          "tpm_limit",
          "max_parallel_requests",
          "metadata",
          "auto_create_key",
          "key_alias",
          "teams");

  static final Set<String> NOT_YET =
      Set.of(
          "team_member_permissions",
          "model_aliases",
          "soft_budget_cooldown",
          "sso_user_id",
          "user_alias",
          "model_max_budget",
          "budget_limits",
          "organization_id",
          "project_id",
          "config",
          "permissions",
          "allowed_cache_controls",
          "allowed_routes",
          "guardrails",
          "tags",
          "enforced_params",
          "budget_id",
          "key_type",
          "auto_rotate",
          "rotation_interval",
          "temp_budget_increase",
          "temp_budget_expiry",
          "rpm_limit_type",
          "tpm_limit_type",
          "send_invite_email",
          "object_permission",
          "prompts");

  private final ObjectNode body;

  KeyFields(ObjectNode body, Set<String> supported) {
    this.body = body;
    body.fieldNames()
        .forEachRemaining(
            name -> {
              JsonNode value = body.get(name);
              if (NOT_YET.contains(name)) {
                if (!isEmpty(value)) {
                  throw invalid(name, "is not supported by FeatherGate yet; leave it out");
                }
              } else if (!supported.contains(name)) {
                throw invalid(name, "is not a field of this request");
              }
            });
  }

  private static boolean isEmpty(JsonNode value) {
    return value == null
        || value.isNull()
        || value.isContainerNode() && value.isEmpty()
        || value.isBoolean() && !value.booleanValue();
  }

  boolean has(String name) {
    return body.has(name);
  }

  static GatewayException invalid(String field, String problem) {
    return GatewayException.badRequest(field + " " + problem, field);
  }

  /** Text of at most 255 characters, or null. */
  String text(String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(name, "must be a string");
    }
    String text = value.textValue();
    if (text.length() > 255) {
      throw invalid(name, "must be at most 255 characters");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw invalid(name, "must not contain control characters");
      }
    }
    return text;
  }

  /** A number, zero or more, or null. */
  Double amount(String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue()) || value.doubleValue() < 0) {
      throw invalid(name, "must be a number, zero or more");
    }
    return value.doubleValue();
  }

  /** A whole number, zero or more, or null. */
  Long count(String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
      throw invalid(name, "must be a whole number, zero or more");
    }
    return value.asLong();
  }

  boolean flag(String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalid(name, "must be true or false");
    }
    return value.booleanValue();
  }

  List<String> models() {
    JsonNode value = body.get("models");
    List<String> models = new ArrayList<>();
    if (value == null || value.isNull()) {
      return models;
    }
    if (!value.isArray()) {
      throw invalid("models", "must be a list of model names");
    }
    for (JsonNode model : value) {
      if (!model.isTextual() || model.textValue().isBlank() || model.textValue().length() > 255) {
        throw invalid("models", "must be a list of model names");
      }
      models.add(model.textValue());
    }
    return models;
  }

  Map<String, String> aliases() {
    JsonNode value = body.get("aliases");
    Map<String, String> aliases = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return aliases;
    }
    if (!value.isObject()) {
      throw invalid("aliases", "must map model names to model groups");
    }
    value
        .fields()
        .forEachRemaining(
            entry -> {
              if (!entry.getValue().isTextual()) {
                throw invalid("aliases", "must map model names to model groups");
              }
              aliases.put(entry.getKey(), entry.getValue().textValue());
            });
    return aliases;
  }

  /** {@code model_rpm_limit} or {@code model_tpm_limit}: whole numbers by model group. */
  Map<String, Long> perModel(String name) {
    JsonNode value = body.get(name);
    Map<String, Long> limits = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return limits;
    }
    if (!value.isObject()) {
      throw invalid(name, "must map model groups to whole numbers");
    }
    value
        .fields()
        .forEachRemaining(
            entry -> {
              JsonNode limit = entry.getValue();
              if (!limit.canConvertToExactIntegral() || limit.asLong() < 0) {
                throw invalid(name, "must map model groups to whole numbers, zero or more");
              }
              limits.put(entry.getKey(), limit.asLong());
            });
    return limits;
  }

  /** The key's limits per model group. */
  io.feathergate.core.auth.VirtualKey.ModelLimits modelLimits() {
    return new io.feathergate.core.auth.VirtualKey.ModelLimits(
        perModel("model_rpm_limit"), perModel("model_tpm_limit"));
  }

  /** The metadata object as JSON text. */
  String metadata() {
    JsonNode value = body.get("metadata");
    if (value == null || value.isNull()) {
      return "{}";
    }
    if (!value.isObject()) {
      throw invalid("metadata", "must be an object");
    }
    String text = value.toString();
    if (text.length() > 65_536) {
      throw invalid("metadata", "must be at most 64 KiB of JSON");
    }
    return text;
  }

  /** {@code budget_duration} checked, or null. */
  String budgetDuration() {
    String text = text("budget_duration");
    if (text == null) {
      return null;
    }
    try {
      return BudgetWindow.parse(text).text();
    } catch (IllegalArgumentException e) {
      throw invalid("budget_duration", e.getMessage());
    }
  }

  /**
   * A budget window and when its current window ends.
   *
   * @param duration {@code budget_duration}, or null for a budget that never resets
   * @param resetAt when the current window ends, or null
   */
  record Budget(String duration, Instant resetAt) {}

  /**
   * The budget window this body sets for something whose window is {@code current} (null for one
   * made now): a new {@code budget_duration} starts a window now, none keeps the current one.
   */
  Budget budget(Budgeted current, Instant now) {
    if (current != null && !has("budget_duration")) {
      return new Budget(current.budgetDuration(), current.budgetResetAt());
    }
    String duration = budgetDuration();
    return new Budget(
        duration, duration == null ? null : BudgetWindow.parse(duration).endAfter(now));
  }

  /** When a key made now with {@code duration} expires, or null for never. */
  Instant expiresAfter(Instant now) {
    String duration = text("duration");
    if (duration == null) {
      return null;
    }
    try {
      return now.plus(BudgetWindow.parse(duration).length());
    } catch (IllegalArgumentException e) {
      throw invalid("duration", e.getMessage());
    }
  }

  /** {@code expires} as an ISO-8601 instant, or null. */
  Instant expires() {
    String text = text("expires");
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid("expires", "must be an ISO-8601 time such as 2027-01-31T00:00:00Z");
    }
  }
}
