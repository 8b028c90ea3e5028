package io.feathergate.core.auth;

import java.time.Instant;
import java.util.List;

/**
 * A user (LiteLLM's {@code LiteLLM_UserTable}): its models, budget and limits apply to every key
 * that names it, on top of each key's own.
 *
 * @param userId its id
 * @param userEmail its e-mail address, or null
 * @param userRole LiteLLM's role name ({@code internal_user}, {@code proxy_admin}, ...), or null
 * @param metadata free-form JSON, as text
 */
public record User(
    String userId,
    String userEmail,
    String userRole,
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
    Instant updatedAt)
    implements Budgeted {

  public User {
    models = List.copyOf(models);
  }

  @Override
  public String scope() {
    return "user:" + userId;
  }
}
