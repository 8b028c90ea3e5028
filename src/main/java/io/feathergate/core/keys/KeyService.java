package io.feathergate.core.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feathergate.core.auth.Principal;
import io.feathergate.core.auth.VirtualKey;
import io.feathergate.core.errors.GatewayException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * LiteLLM's key management ({@code /key/generate}, {@code /key/info}, ...), in its shapes: a key is
 * {@code sk-} and 128 random bits, shown once and stored as its SHA-256 only. Every change is in
 * force at once on this gateway ({@link KeyDirectory}); other replicas see it within their {@code
 * user_api_key_cache_ttl}.
 */
public final class KeyService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_PAGE_SIZE = 100;

  private final KeyStore store;
  private final KeyDirectory directory;
  private final SpendLedger ledger;
  private final Clock clock;

  public KeyService(KeyStore store, KeyDirectory directory, SpendLedger ledger, Clock clock) {
    this.store = store;
    this.directory = directory;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** A new key: {@code sk-} and 22 characters of URL-safe base64 (128 random bits). */
  static String newKey() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return "sk-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  static String keyName(String key) {
    return "sk-..." + key.substring(Math.max(0, key.length() - 4));
  }

  public ObjectNode generate(ObjectNode body, Principal caller) {
    KeyFields fields = new KeyFields(body, KeyFields.KEY_FIELDS);
    String key = fields.text("key");
    if (key == null) {
      key = newKey();
    } else if (!key.startsWith("sk-") || key.length() < 20) {
      throw KeyFields.invalid("key", "must start with 'sk-' and be at least 20 characters long");
    }
    Instant now = clock.instant();
    checkTeam(fields.text("team_id"));
    KeyFields.Budget budget = fields.budget(null, now);
    Instant expires = fields.has("expires") ? fields.expires() : fields.expiresAfter(now);
    VirtualKey made =
        new VirtualKey(
            KeyAuthenticator.sha256Hex(key),
            keyName(key),
            fields.text("key_alias"),
            fields.text("user_id"),
            fields.text("team_id"),
            fields.models(),
            fields.amount("max_budget"),
            fields.amount("soft_budget"),
            budget.duration(),
            budget.resetAt(),
            0,
            expires,
            fields.flag("blocked"),
            fields.count("rpm_limit"),
            fields.count("tpm_limit"),
            fields.count("max_parallel_requests"),
            fields.metadata(),
            fields.aliases(),
            now,
            caller.userId(),
            now,
            fields.modelLimits());
    try {
      store.insert(made);
    } catch (KeyStore.DuplicateKeyException e) {
      throw GatewayException.badRequest(
          made.keyAlias() != null && store.findByAlias(made.keyAlias()).isPresent()
              ? "Key with alias '" + made.keyAlias() + "' already exists."
              : "This key already exists.",
          made.keyAlias() != null ? "key_alias" : "key");
    }
    directory.changed(made);
    ObjectNode answer = describe(made);
    answer.put("key", key);
    answer.put("token_id", made.tokenHash());
    answer.put("token", made.tokenHash());
    return answer;
  }

  /** Writes the spend not yet written, so that what is read next includes it. */
  void writeSpend() {
    ledger.flush();
  }

  /** {@code GET /key/info}: the key's row, by the key itself or its hash. */
  public ObjectNode info(String keyOrHash) {
    ledger.flush();
    VirtualKey key = existing(keyOrHash, "key");
    ObjectNode answer = JSON.createObjectNode();
    answer.put("key", key.tokenHash());
    answer.set("info", describe(key));
    return answer;
  }

  public ObjectNode update(ObjectNode body) {
    KeyFields fields = new KeyFields(body, KeyFields.KEY_FIELDS);
    String presented = fields.text("key");
    if (presented == null) {
      throw KeyFields.invalid("key", "is required");
    }
    VirtualKey key = existing(presented, "key");
    Instant now = clock.instant();
    KeyFields.Budget budget = fields.budget(key, now);
    Instant expires = key.expires();
    if (fields.has("expires")) {
      expires = fields.expires();
    } else if (fields.has("duration")) {
      expires = fields.expiresAfter(now);
    }
    VirtualKey updated =
        new VirtualKey(
            key.tokenHash(),
            key.keyName(),
            fields.has("key_alias") ? fields.text("key_alias") : key.keyAlias(),
            fields.has("user_id") ? fields.text("user_id") : key.userId(),
            fields.has("team_id") ? fields.text("team_id") : key.teamId(),
            fields.has("models") ? fields.models() : key.models(),
            fields.has("max_budget") ? fields.amount("max_budget") : key.maxBudget(),
            fields.has("soft_budget") ? fields.amount("soft_budget") : key.softBudget(),
            budget.duration(),
            budget.resetAt(),
            key.spend(),
            expires,
            fields.has("blocked") ? fields.flag("blocked") : key.blocked(),
            fields.has("rpm_limit") ? fields.count("rpm_limit") : key.rpmLimit(),
            fields.has("tpm_limit") ? fields.count("tpm_limit") : key.tpmLimit(),
            fields.has("max_parallel_requests")
                ? fields.count("max_parallel_requests")
                : key.maxParallelRequests(),
            fields.has("metadata") ? fields.metadata() : key.metadata(),
            fields.has("aliases") ? fields.aliases() : key.aliases(),
            key.createdAt(),
            key.createdBy(),
            now,
            new io.feathergate.core.auth.VirtualKey.ModelLimits(
                fields.has("model_rpm_limit")
                    ? fields.perModel("model_rpm_limit")
                    : key.modelLimits().rpm(),
                fields.has("model_tpm_limit")
                    ? fields.perModel("model_tpm_limit")
                    : key.modelLimits().tpm()));
    save(updated);
    ObjectNode answer = describe(updated);
    answer.put("key", updated.tokenHash());
    return answer;
  }

  /** {@code /key/block} and {@code /key/unblock}. */
  public ObjectNode setBlocked(ObjectNode body, boolean blocked) {
    JsonNode key = body.get("key");
    if (key == null || !key.isTextual()) {
      throw KeyFields.invalid("key", "is required");
    }
    VirtualKey found = existing(key.textValue(), "key");
    VirtualKey changed =
        new VirtualKey(
            found.tokenHash(),
            found.keyName(),
            found.keyAlias(),
            found.userId(),
            found.teamId(),
            found.models(),
            found.maxBudget(),
            found.softBudget(),
            found.budgetDuration(),
            found.budgetResetAt(),
            found.spend(),
            found.expires(),
            blocked,
            found.rpmLimit(),
            found.tpmLimit(),
            found.maxParallelRequests(),
            found.metadata(),
            found.aliases(),
            found.createdAt(),
            found.createdBy(),
            clock.instant(),
            found.modelLimits());
    save(changed);
    ObjectNode answer = describe(changed);
    answer.put("token", changed.tokenHash());
    return answer;
  }

  private void save(VirtualKey key) {
    try {
      if (!store.update(key)) {
        throw GatewayException.notFound("Key not found.");
      }
    } catch (KeyStore.DuplicateKeyException e) {
      throw GatewayException.badRequest(
          "Key with alias '" + key.keyAlias() + "' already exists.", "key_alias");
    }
    directory.changed(key);
  }

  /** {@code /key/delete}: by {@code keys} (keys or hashes) or {@code key_aliases}. */
  public ObjectNode delete(ObjectNode body) {
    List<String> hashes = new ArrayList<>();
    for (String field : List.of("keys", "key_aliases")) {
      JsonNode values = body.get(field);
      if (values == null || values.isNull()) {
        continue;
      }
      if (!values.isArray()) {
        throw KeyFields.invalid(field, "must be a list of strings");
      }
      for (JsonNode value : values) {
        if (!value.isTextual()) {
          throw KeyFields.invalid(field, "must be a list of strings");
        }
        Optional<VirtualKey> key =
            field.equals("keys")
                ? store.find(hashOf(value.textValue()))
                : store.findByAlias(value.textValue());
        hashes.add(key.map(VirtualKey::tokenHash).orElseThrow(() -> notFound(value.textValue())));
      }
    }
    if (hashes.isEmpty()) {
      throw KeyFields.invalid("keys", "or key_aliases must name at least one key");
    }
    List<String> deleted = store.delete(hashes);
    deleted.forEach(hash -> directory.removed("key:" + hash));
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode list = answer.putArray("deleted_keys");
    deleted.forEach(list::add);
    return answer;
  }

  /** {@code /key/{key}/regenerate}: a new key for the same row; the old one stops working. */
  public ObjectNode regenerate(String presented) {
    VirtualKey key = existing(presented, "key");
    String fresh = newKey();
    String hash = KeyAuthenticator.sha256Hex(fresh);
    Instant now = clock.instant();
    if (!store.rehash(key.tokenHash(), hash, keyName(fresh), now)) {
      throw notFound(presented);
    }
    directory.removed(key.scope());
    VirtualKey regenerated = store.find(hash).orElseThrow(() -> notFound(presented));
    directory.changed(regenerated);
    ObjectNode answer = describe(regenerated);
    answer.put("key", fresh);
    answer.put("token_id", hash);
    answer.put("token", hash);
    return answer;
  }

  /** {@code GET /key/list}: hashes, or whole rows with {@code return_full_object}. */
  public ObjectNode list(
      String userId, String teamId, String keyAlias, int page, int size, boolean fullObjects) {
    if (page < 1) {
      throw KeyFields.invalid("page", "must be 1 or more");
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw KeyFields.invalid("size", "must be from 1 to " + MAX_PAGE_SIZE);
    }
    KeyStore.KeyPage found =
        store.list(new KeyStore.KeyFilter(userId, teamId, keyAlias), page, size);
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode keys = answer.putArray("keys");
    for (VirtualKey key : found.keys()) {
      if (fullObjects) {
        keys.add(describe(key));
      } else {
        keys.add(key.tokenHash());
      }
    }
    answer.put("total_count", found.totalCount());
    answer.put("current_page", page);
    answer.put("total_pages", (found.totalCount() + size - 1) / size);
    return answer;
  }

  /**
   * {@code GET /global/spend/report}: spend per day (UTC) and per {@code team}, {@code api_key},
   * {@code model} or {@code user}, in LiteLLM's shape ({@code [{"group_by_day", "teams": [...]}]}).
   */
  public ArrayNode spendReport(String groupBy, Instant from, Instant to) {
    KeyStore.SpendGrouping grouping =
        switch (groupBy == null ? "team" : groupBy) {
          case "team" -> KeyStore.SpendGrouping.TEAM;
          case "api_key" -> KeyStore.SpendGrouping.API_KEY;
          case "model" -> KeyStore.SpendGrouping.MODEL;
          case "user", "customer" -> KeyStore.SpendGrouping.USER;
          default -> throw KeyFields.invalid("group_by", "must be team, api_key, model or user");
        };
    String list =
        switch (grouping) {
          case TEAM -> "teams";
          case API_KEY -> "api_keys";
          case MODEL -> "models";
          case USER -> "users";
        };
    String name =
        switch (grouping) {
          case TEAM -> "team_name";
          case API_KEY -> "api_key";
          case MODEL -> "model";
          case USER -> "user_id";
        };
    ledger.flush();
    ArrayNode days = JSON.createArrayNode();
    ObjectNode day = null;
    for (KeyStore.SpendTotal total : store.spendReport(grouping, from, to)) {
      if (day == null || !day.get("group_by_day").asText().equals(total.day().toString())) {
        day = days.addObject();
        day.put("group_by_day", total.day().toString());
        day.putArray(list);
      }
      ObjectNode entry = ((ArrayNode) day.get(list)).addObject();
      entry.put(name, total.group() == null ? "Unassigned" : total.group());
      entry.put("total_spend", total.spend());
      entry.put("total_tokens", total.totalTokens());
      entry.put("requests", total.requests());
    }
    return days;
  }

  /** {@code GET /spend/logs}: rows of one key, request or user, oldest first. */
  public ArrayNode spendLogs(
      String apiKey, String requestId, String userId, Instant from, Instant to, int limit) {
    ledger.flush();
    String hash = apiKey == null ? null : hashOf(apiKey);
    ArrayNode rows = JSON.createArrayNode();
    for (SpendLogRow row :
        store.spendLogs(new KeyStore.SpendLogFilter(hash, requestId, userId, from, to, limit))) {
      ObjectNode out = rows.addObject();
      out.put("request_id", row.requestId());
      out.put("call_type", row.callType());
      out.put("api_key", row.apiKey());
      out.put("spend", row.spend());
      out.put("prompt_tokens", row.promptTokens());
      out.put("completion_tokens", row.completionTokens());
      out.put("total_tokens", row.totalTokens());
      out.put("startTime", row.startTime().toString());
      out.put("endTime", row.endTime().toString());
      out.put("model", row.model());
      out.put("model_id", row.modelId());
      out.put("model_group", row.modelGroup());
      out.put("custom_llm_provider", row.provider());
      out.put("user", row.userId());
      out.put("team_id", row.teamId());
      out.put("status", row.status());
      out.put("cache_hit", Boolean.toString(row.cacheHit()));
    }
    return rows;
  }

  /** A key's team must exist: a mistyped team id would escape the team's budget unnoticed. */
  private void checkTeam(String teamId) {
    if (teamId != null && store.findTeam(teamId).isEmpty()) {
      throw KeyFields.invalid("team_id", "names no team; create it with /team/new first");
    }
  }

  private VirtualKey existing(String keyOrHash, String field) {
    if (keyOrHash == null || keyOrHash.isBlank()) {
      throw KeyFields.invalid(field, "is required");
    }
    return store.find(hashOf(keyOrHash)).orElseThrow(() -> notFound(keyOrHash));
  }

  private static GatewayException notFound(String keyOrHash) {
    // never echo a key back: only whether it was a hash
    return GatewayException.notFound(
        keyOrHash.startsWith("sk-")
            ? "Key not found."
            : "Key not found: no key has the hash " + safeHash(keyOrHash) + ".");
  }

  private static String safeHash(String value) {
    return value.matches("[0-9a-f]{64}") ? value : "given";
  }

  /** A key's hash: a 64-character hex value is taken as a hash already, as LiteLLM does. */
  static String hashOf(String keyOrHash) {
    return keyOrHash.matches("[0-9a-f]{64}") ? keyOrHash : KeyAuthenticator.sha256Hex(keyOrHash);
  }

  /** The key's row in LiteLLM's field names (never the key itself). */
  static ObjectNode describe(VirtualKey key) {
    ObjectNode out = JSON.createObjectNode();
    out.put("token", key.tokenHash());
    out.put("key_name", key.keyName());
    out.put("key_alias", key.keyAlias());
    out.put("user_id", key.userId());
    out.put("team_id", key.teamId());
    ArrayNode models = out.putArray("models");
    key.models().forEach(models::add);
    putNumber(out, "max_budget", key.maxBudget());
    putNumber(out, "soft_budget", key.softBudget());
    out.put("budget_duration", key.budgetDuration());
    out.put("budget_reset_at", text(key.budgetResetAt()));
    out.put("spend", key.spend());
    out.put("expires", text(key.expires()));
    out.put("blocked", key.blocked());
    putCount(out, "rpm_limit", key.rpmLimit());
    putCount(out, "tpm_limit", key.tpmLimit());
    putCount(out, "max_parallel_requests", key.maxParallelRequests());
    try {
      out.set("metadata", JSON.readTree(key.metadata()));
    } catch (java.io.IOException e) {
      out.putObject("metadata");
    }
    ObjectNode aliases = out.putObject("aliases");
    key.aliases().forEach(aliases::put);
    ObjectNode modelRpm = out.putObject("model_rpm_limit");
    key.modelLimits().rpm().forEach(modelRpm::put);
    ObjectNode modelTpm = out.putObject("model_tpm_limit");
    key.modelLimits().tpm().forEach(modelTpm::put);
    out.put("created_at", text(key.createdAt()));
    out.put("created_by", key.createdBy());
    out.put("updated_at", text(key.updatedAt()));
    return out;
  }

  private static void putNumber(ObjectNode out, String field, Double value) {
    if (value == null) {
      out.putNull(field);
    } else {
      out.put(field, value);
    }
  }

  private static void putCount(ObjectNode out, String field, Long value) {
    if (value == null) {
      out.putNull(field);
    } else {
      out.put(field, value);
    }
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
