package io.feathergate.core.auth;

import java.time.Instant;
import java.util.List;

/**
 * A team (LiteLLM's {@code LiteLLM_TeamTable}): its models, budget and limits apply to every key of
 * the team, on top of each key's own.
 *
 * @param teamId its id
 * @param teamAlias its display name, or null
 * @param members its users and their roles ({@code admin} or {@code user})
 * @param blocked whether every key of the team is refused
 * @param metadata free-form JSON, as text
 */
public record Team(
    String teamId,
    String teamAlias,
    List<String> models,
    Double maxBudget,
    String budgetDuration,
    Instant budgetResetAt,
    double spend,
    Long rpmLimit,
    Long tpmLimit,
    Long maxParallelRequests,
    boolean blocked,
    List<Member> members,
    String metadata,
    Instant createdAt,
    Instant updatedAt)
    implements Budgeted {

  public Team {
    models = List.copyOf(models);
    members = List.copyOf(members);
  }

  /** One member of a team. */
  public record Member(String userId, String role) {}

  @Override
  public String scope() {
    return "team:" + teamId;
  }
}
