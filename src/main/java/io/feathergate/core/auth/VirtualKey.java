package io.feathergate.core.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A virtual key as the gateway enforces it: LiteLLM's {@code LiteLLM_VerificationToken} row,
 * without the key itself (only its SHA-256 is ever stored).
 *
 * @param tokenHash SHA-256 hex of the key
 * @param keyName the key abbreviated for display ({@code sk-...abcd})
 * @param keyAlias the alias its owner gave it, or null
 * @param userId the user it belongs to, or null
 * @param teamId the team it belongs to, or null
 * @param models the model groups it may call; empty for all
 * @param maxBudget the most it may spend in a budget window, in US dollars, or null for no limit
 * @param softBudget the spend above which answers say so, or null
 * @param budgetDuration the budget window ({@code 30s}, {@code 1h}, {@code 1d}, {@code 1mo}, ...),
 *     or null for a budget that never resets
 * @param budgetResetAt when the current window ends, or null
 * @param spend what it spent in the current window, as the database last said
 * @param expires when it stops working, or null for never
 * @param blocked whether it is blocked
 * @param rpmLimit requests per minute, or null
 * @param tpmLimit tokens per minute, or null
 * @param maxParallelRequests calls in flight at once, or null
 * @param metadata free-form JSON the owner attached, as text ({@code {}} when none)
 * @param aliases model names this key may use for other model groups
 * @param createdAt when it was made
 * @param createdBy who made it (the user id of the caller, or {@code default_user_id})
 * @param updatedAt when it last changed
 * @param modelLimits requests and tokens per minute for single model groups ({@code
 *     model_rpm_limit}, {@code model_tpm_limit})
 */
public record VirtualKey(
    String tokenHash,
    String keyName,
    String keyAlias,
    String userId,
    String teamId,
    List<String> models,
    Double maxBudget,
    Double softBudget,
    String budgetDuration,
    Instant budgetResetAt,
    double spend,
    Instant expires,
    boolean blocked,
    Long rpmLimit,
    Long tpmLimit,
    Long maxParallelRequests,
    String metadata,
    Map<String, String> aliases,
    Instant createdAt,
    String createdBy,
    Instant updatedAt,
    ModelLimits modelLimits)
    implements Budgeted {

  public VirtualKey {
    models = List.copyOf(models);
    aliases = Map.copyOf(aliases);
    modelLimits = modelLimits == null ? ModelLimits.NONE : modelLimits;
  }

  /**
   * A key's limits for single model groups, by group name.
   *
   * @param rpm requests per minute
   * @param tpm tokens per minute
   */
  public record ModelLimits(Map<String, Long> rpm, Map<String, Long> tpm) {
    public static final ModelLimits NONE = new ModelLimits(Map.of(), Map.of());

    public ModelLimits {
      rpm = Map.copyOf(rpm);
      tpm = Map.copyOf(tpm);
    }

    /** The limits of one group as their own counted scope, or null when it has none. */
    public Budgeted forGroup(String keyScope, String modelGroup) {
      Long groupRpm = rpm.get(modelGroup);
      Long groupTpm = tpm.get(modelGroup);
      return groupRpm == null && groupTpm == null
          ? null
          : new GroupLimit(keyScope + ":model:" + modelGroup, groupRpm, groupTpm);
    }
  }

  /** One model group's limits of one key, counted under its own scope. */
  public record GroupLimit(String scope, Long rpmLimit, Long tpmLimit) implements Budgeted {
    @Override
    public List<String> models() {
      return List.of();
    }

    @Override
    public Double maxBudget() {
      return null;
    }

    @Override
    public String budgetDuration() {
      return null;
    }

    @Override
    public Instant budgetResetAt() {
      return null;
    }

    @Override
    public double spend() {
      return 0;
    }

    @Override
    public Long maxParallelRequests() {
      return null;
    }
  }

  @Override
  public String scope() {
    return "key:" + tokenHash;
  }

  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }
}
