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
    Instant updatedAt)
    implements Budgeted {

  public VirtualKey {
    models = List.copyOf(models);
    aliases = Map.copyOf(aliases);
  }

  @Override
  public String scope() {
    return "key:" + tokenHash;
  }

  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }
}
